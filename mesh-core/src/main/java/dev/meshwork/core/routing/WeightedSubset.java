package dev.meshwork.core.routing;

/**
 * One destination of a route's traffic split: {@code weight} parts of the calls go to {@code
 * subset}. Weights are relative: 95 and 5, or 19 and 1, split the same way.
 */
public record WeightedSubset(String subset, int weight) {

  @Override
  public String toString() {
    return subset + "=" + weight;
  }
}
