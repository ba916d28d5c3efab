package dev.meshwork.benchmarks.load;

import java.util.List;

/**
 * How the per-JVM mode starts each scenario's JVM: the same JVM options for every scenario (a fixed
 * heap by default) plus any the run adds, such as a flight recording, and an optional command to
 * run the JVM under, such as {@code strace -c -f -o FILE}. In both, {@code {scenario}} becomes the
 * scenario (S0 .. S4) and {@code {label}} the JVM's label (phase, round and scenario), so each JVM
 * can write files of its own.
 */
record ChildOptions(List<String> jvmOptions, List<String> prefix) {
  /** Every scenario JVM's heap: fixed, and small as an application's often is. */
  static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m");

  List<String> prefix(Scenario scenario, String label) {
    return substituted(prefix, scenario, label);
  }

  List<String> jvmOptions(Scenario scenario, String label) {
    return substituted(jvmOptions, scenario, label);
  }

  private static List<String> substituted(List<String> words, Scenario scenario, String label) {
    return words.stream()
        .map(word -> word.replace("{scenario}", scenario.name()).replace("{label}", label))
        .toList();
  }
}
