package dev.meshwork.core.internal.balancer;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.function.ToDoubleFunction;

/** The power of two choices: two distinct random candidates, the cheaper one wins (the first on a tie). */
final class TwoChoices {
  private TwoChoices() {
  }

  static <E> E pick(List<E> candidates, RandomGenerator random, ToDoubleFunction<? super E> cost) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    E first = candidates.get(a);
    E other = candidates.get(b >= a ? b + 1 : b);
    return cost.applyAsDouble(other) < cost.applyAsDouble(first) ? other : first;
  }
}
