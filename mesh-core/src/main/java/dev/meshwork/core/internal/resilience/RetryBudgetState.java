package dev.meshwork.core.internal.resilience;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.policy.RetryBudget;

/**
 * The live retry budget of one service (see {@link RetryBudget} for the bound). Every logical call
 * deposits; every retry (or hedge) must withdraw, which succeeds while the retries in the window
 * stay within {@code ratio} of the window's calls plus the reserve ({@code minRetriesPerSecond} x
 * the window's seconds). Deposits are lock-free; withdrawals, taken only by retries, are serialised
 * so the bound is exact.
 */
public final class RetryBudgetState {
  private final RetryBudget budget;
  private final MeshClock clock;
  private final WindowedCounter calls;
  private final WindowedCounter retries;
  private final long reserve;

  public RetryBudgetState(RetryBudget budget, MeshClock clock) {
    this.budget = budget;
    this.clock = clock;
    int seconds = (int) budget.window().toSeconds();
    long origin = clock.nanoTime();
    this.calls = new WindowedCounter(seconds, origin);
    this.retries = new WindowedCounter(seconds, origin);
    this.reserve = budget.reserve();
  }

  /** A logical call starts. */
  public void deposit() {
    if (budget.enabled()) {
      calls.increment(clock.nanoTime());
    }
  }

  /** Takes one retry from the budget; {@code false} when the budget is spent. */
  public boolean tryWithdraw() {
    if (!budget.enabled()) {
      return true;
    }
    synchronized (this) {
      long now = clock.nanoTime();
      double allowed = reserve + budget.ratio() * calls.sum(now);
      if (retries.sum(now) + 1 > allowed) {
        return false;
      }
      retries.increment(now);
      return true;
    }
  }

  /** The budget in words, for the exception a refused retry raises. */
  public String describe() {
    long now = clock.nanoTime();
    return "retry budget exhausted: "
        + retries.sum(now)
        + " retries for "
        + calls.sum(now)
        + " calls in the last "
        + budget.window().toSeconds()
        + " s (allowed: "
        + budget.ratio()
        + " x calls + reserve "
        + reserve
        + ")";
  }
}
