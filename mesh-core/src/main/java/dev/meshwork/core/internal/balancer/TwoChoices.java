package dev.meshwork.core.internal.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The power of two choices: two distinct random candidates, the better one wins (the first on a
 * tie).
 */
final class TwoChoices {
  private TwoChoices() {}

  /** Which of two candidates to take. */
  @FunctionalInterface
  interface Preference<E> {
    /** Whether {@code candidate} is strictly better than {@code other}. */
    boolean better(E candidate, E other);
  }

  static <E> E pick(List<E> candidates, RandomGenerator random, Preference<? super E> preference) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    E first = candidates.get(a);
    E other = candidates.get(b >= a ? b + 1 : b);
    return preference.better(other, first) ? other : first;
  }
}
