package dev.meshwork.core.internal.routing;

/** The group a call was sent to and why. */
public record Destination(EndpointGroup group, Reason reason) {

  /** How the destination was chosen. */
  public enum Reason {
    /** The route names no subset. */
    ALL,
    /** Drawn from the route's weighted split. */
    SPLIT,
    /** A header override pinned the call. */
    OVERRIDE
  }
}
