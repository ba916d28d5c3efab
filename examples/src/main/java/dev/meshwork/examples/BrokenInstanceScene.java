package dev.meshwork.examples;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import java.io.PrintStream;
import java.time.Duration;
import retrofit2.Response;

/**
 * The demo's second scene: one mathoid instance starts answering 503. Outlier detection ejects it
 * after a few failures while every call still succeeds (the failed attempts are retried on the
 * other instances); once it is healed and its ejection ends, it takes calls again.
 */
final class BrokenInstanceScene {
  /** How long each phase may take before the demo gives up; the ejection itself lasts 2 s. */
  private static final Duration PHASE_LIMIT = Duration.ofSeconds(15);

  /**
   * Calls are paced while the instance is out, so the output shows its ejection passing in real
   * time.
   */
  private static final Duration PACE = Duration.ofMillis(250);

  /**
   * What the scene saw.
   *
   * @param calls calls made during the scene
   * @param failedCalls calls that did not get a rendering
   * @param ejectedAfterCalls calls it took until the broken instance was ejected, or -1 when it
   *     never was
   * @param returned whether the healed instance served a call again
   */
  record Result(int calls, int failedCalls, int ejectedAfterCalls, boolean returned) {}

  private final PrintStream out;
  private final Mesh mesh;
  private final MathoidApi mathoid;
  private final MathoidInstance victim;
  private int calls;
  private int failed;

  private BrokenInstanceScene(
      PrintStream out, Mesh mesh, MathoidApi mathoid, MathoidInstance victim) {
    this.out = out;
    this.mesh = mesh;
    this.mathoid = mathoid;
    this.victim = victim;
  }

  static Result run(PrintStream out, Mesh mesh, MathoidApi mathoid, MathoidInstance victim)
      throws InterruptedException {
    return new BrokenInstanceScene(out, mesh, mathoid, victim).play();
  }

  private Result play() throws InterruptedException {
    out.println();
    out.println("Scene 2: " + victim.name() + " breaks and answers 503 to every call");
    out.println("  outlier detection: " + mesh.config("mathoid").outlierDetection());
    victim.broken(true);
    long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
    while (!status().ejected() && System.nanoTime() - deadline < 0) {
      call();
    }
    int ejectedAfter = status().ejected() ? calls : -1;
    if (ejectedAfter < 0) {
      out.println(
          "  " + victim.name() + " was NOT ejected within " + PHASE_LIMIT.toSeconds() + " s");
      victim.broken(false);
      return new Result(calls, failed, -1, false);
    }
    out.println(
        "  "
            + victim.name()
            + " ejected after "
            + calls
            + " calls; failed calls so far: "
            + failed);

    victim.broken(false);
    out.println(
        "  " + victim.name() + " is healed; it stays out of balancing until its ejection ends");
    deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
    while (status().ejected() && System.nanoTime() - deadline < 0) {
      call();
      Thread.sleep(PACE.toMillis());
    }
    boolean returned = false;
    while (!returned && !status().ejected() && System.nanoTime() - deadline < 0) {
      returned = victim.name().equals(call());
    }
    out.println(
        returned
            ? "  " + victim.name() + " returned to balancing and serves calls again"
            : "  " + victim.name() + " did NOT return within " + PHASE_LIMIT.toSeconds() + " s");
    out.println("Scene 2: " + calls + " calls, failed calls: " + failed);
    return new Result(calls, failed, ejectedAfter, returned);
  }

  /** One render; returns the instance that served it, or {@code null} when the call failed. */
  private String call() {
    calls++;
    String servedBy = null;
    try {
      Response<MathoidApi.Rendered> response =
          mathoid.render(new MathoidApi.Formula("a^2 + b^2 = c^" + calls)).execute();
      if (response.isSuccessful() && response.body() != null) {
        servedBy = response.body().instance();
      } else {
        failed++;
        out.printf("  call %2d FAILED: mathoid answered %d%n", calls, response.code());
        return null;
      }
    } catch (java.io.IOException e) {
      failed++;
      out.printf("  call %2d FAILED: %s%n", calls, e.getMessage());
      return null;
    }
    EndpointStatus status = status();
    out.printf(
        "  call %2d served by %s   (%s %s)%n",
        calls,
        servedBy,
        victim.name(),
        status.ejected() ? "ejected" : "in balancing, " + status.failures() + " failed attempts");
    return servedBy;
  }

  private EndpointStatus status() {
    for (EndpointStatus status : mesh.endpointStatus("mathoid")) {
      if (status.endpoint().address().equals(victim.address())) {
        return status;
      }
    }
    throw new IllegalStateException(victim.address() + " is not an endpoint of mathoid");
  }
}
