package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One rule of a service's {@link RouteTable}: which calls it matches (path, methods, headers; all
 * must hold) and where they go: a weighted split between subsets, with header overrides, or every
 * endpoint of the service when it names no subset. It may also mirror a share of its calls and
 * inject faults.
 *
 * <pre>{@code
 * Route canary = Route.builder("render-canary")
 *     .pathPrefix("/render")
 *     .split("v1", 90).split("v2", 10)
 *     .override("x-canary", "always", "v2")
 *     .build();
 * }</pre>
 *
 * <p>Its destinations ({@link WeightedSubset}, {@link SubsetOverride}) and shadow traffic ({@link
 * Mirror}) are nested here; its conditions ({@link PathMatch}, {@link HeaderMatch}) and {@link
 * Fault} are types of their own.
 *
 * @param name names the route in errors, metrics and the admin view
 * @param path the path condition; empty for any path
 * @param methods the methods matched, upper case; empty for any
 * @param headers header conditions, all of which must hold
 * @param split the weighted destinations; empty sends calls to every endpoint of the service
 * @param overrides header values that pin a call to a subset, checked before the split
 * @param mirror shadow traffic; empty for none
 * @param fault injected failures; empty for none
 * @param timeout the deadline of the calls it matches, in place of the service's ({@code
 *     ServiceConfig.Builder#timeout}); a per-call timeout still wins; empty for the service's
 */
public record Route(
    String name,
    Optional<PathMatch> path,
    Set<String> methods,
    List<HeaderMatch> headers,
    List<WeightedSubset> split,
    List<SubsetOverride> overrides,
    Optional<Mirror> mirror,
    Optional<Fault> fault,
    Optional<Duration> timeout) {
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");

  public Route {
    if (name == null || name.isBlank()) {
      throw new MeshConfigException("route name", name, "a non-blank name");
    }
    Objects.requireNonNull(path, "path (Optional.empty() for any path)");
    Objects.requireNonNull(mirror, "mirror (Optional.empty() for none)");
    Objects.requireNonNull(fault, "fault (Optional.empty() for none)");
    Objects.requireNonNull(timeout, "timeout (Optional.empty() for the service's)");
    timeout.ifPresent(t -> Validate.positive("route '" + name + "' timeout", t));
    methods = Set.copyOf(methods);
    for (String method : methods) {
      if (!METHOD.matcher(method).matches()) {
        throw new MeshConfigException(
            "route '" + name + "' method", method, "an HTTP method such as GET or POST");
      }
    }
    headers = List.copyOf(headers);
    split = List.copyOf(split);
    overrides = List.copyOf(overrides);
    checkSplit(name, split);
  }

  /**
   * Component by component, as a record compares, with lists compared by index: a live apply
   * compares every route of every service with the running one, and the lists' iterators were most
   * of its allocation.
   */
  @Override
  public boolean equals(Object other) {
    return other == this
        || other instanceof Route that
            && name.equals(that.name)
            && path.equals(that.path)
            && timeout.equals(that.timeout)
            && sameItems(split, that.split)
            && sameItems(headers, that.headers)
            && sameItems(overrides, that.overrides)
            && methods.equals(that.methods)
            && mirror.equals(that.mirror)
            && fault.equals(that.fault);
  }

  @Override
  public int hashCode() {
    int hash = name.hashCode();
    hash = 31 * hash + path.hashCode();
    hash = 31 * hash + methods.hashCode();
    hash = 31 * hash + headers.hashCode();
    hash = 31 * hash + split.hashCode();
    hash = 31 * hash + overrides.hashCode();
    hash = 31 * hash + mirror.hashCode();
    hash = 31 * hash + fault.hashCode();
    return 31 * hash + timeout.hashCode();
  }

  private static boolean sameItems(List<?> first, List<?> second) {
    int size = first.size();
    if (size != second.size()) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!first.get(i).equals(second.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** A route with the service's timeout. */
  public Route(
      String name,
      Optional<PathMatch> path,
      Set<String> methods,
      List<HeaderMatch> headers,
      List<WeightedSubset> split,
      List<SubsetOverride> overrides,
      Optional<Mirror> mirror,
      Optional<Fault> fault) {
    this(name, path, methods, headers, split, overrides, mirror, fault, Optional.empty());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Whether the route's conditions all hold for {@code request}.
   *
   * @throws MeshConfigException naming the route and the regex when a regex condition runs out of
   *     stack on the request (see {@link PathMatch#regex}); the call fails with it
   */
  public boolean matches(MeshRequest request) {
    try {
      if (path.isPresent() && !path.get().matches(request.path())) {
        return false;
      }
      if (!methods.isEmpty() && !methods.contains(request.method())) {
        return false;
      }
      for (HeaderMatch header : headers) {
        if (!header.matches(request)) {
          return false;
        }
      }
      return true;
    } catch (MeshConfigException e) {
      throw new MeshConfigException("route '" + name + "' " + e.field(), e.value(), e);
    }
  }

  private static void checkSplit(String route, List<WeightedSubset> split) {
    String field = "route '" + route + "' split";
    Set<String> seen = new LinkedHashSet<>();
    long total = 0;
    for (WeightedSubset entry : split) {
      if (entry.subset() == null || entry.subset().isBlank()) {
        throw new MeshConfigException(field + " subset", entry.subset(), "the name of a subset");
      }
      if (!seen.add(entry.subset())) {
        throw new MeshConfigException(field, entry.subset(), "each subset at most once in a split");
      }
      if (entry.weight() < 0) {
        throw new MeshConfigException(
            field + " weight of subset '" + entry.subset() + "'",
            entry.weight(),
            "a weight of 0 or more");
      }
      total += entry.weight();
    }
    if (!split.isEmpty() && total == 0) {
      throw new MeshConfigException(field + " weights", split, "at least one positive weight");
    }
    if (total > Integer.MAX_VALUE) {
      throw new MeshConfigException(
          field + " weights", split, "weights that add up to at most " + Integer.MAX_VALUE);
    }
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Route{").append(name);
    path.ifPresent(p -> text.append(", path ").append(p));
    if (!methods.isEmpty()) {
      text.append(", methods ").append(methods);
    }
    if (!headers.isEmpty()) {
      text.append(", headers ").append(headers);
    }
    text.append(", to ").append(split.isEmpty() ? "all endpoints" : split);
    if (!overrides.isEmpty()) {
      text.append(", overrides ").append(overrides);
    }
    mirror.ifPresent(m -> text.append(", ").append(m));
    fault.ifPresent(f -> text.append(", ").append(f));
    timeout.ifPresent(t -> text.append(", timeout ").append(t.toMillis()).append(" ms"));
    return text.append('}').toString();
  }

  /** Collects a route; {@link #build()} validates it, and every error names the route. */
  public static final class Builder {
    private final String name;
    private final List<Supplier<PathMatch>> path = new ArrayList<>(1);
    private final Set<String> methods = new LinkedHashSet<>();
    private final List<Supplier<HeaderMatch>> headers = new ArrayList<>();
    private final List<WeightedSubset> split = new ArrayList<>();
    private final List<Supplier<SubsetOverride>> overrides = new ArrayList<>();
    private Supplier<Mirror> mirror;
    private Supplier<Fault> fault;
    private Duration timeout;

    private Builder(String name) {
      this.name = name;
    }

    /** Matches paths starting with {@code prefix}. */
    public Builder pathPrefix(String prefix) {
      return path(() -> PathMatch.prefix(prefix));
    }

    /** Matches exactly {@code path}. */
    public Builder pathExact(String exact) {
      return path(() -> PathMatch.exact(exact));
    }

    /** Matches paths that {@code regex} matches as a whole. */
    public Builder pathRegex(String regex) {
      return path(() -> PathMatch.regex(regex));
    }

    private Builder path(Supplier<PathMatch> match) {
      path.clear();
      path.add(match);
      return this;
    }

    /** Matches only these HTTP methods (case-insensitive). */
    public Builder methods(String... methods) {
      for (String method : methods) {
        this.methods.add(Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT));
      }
      return this;
    }

    /** Requires header {@code name} to equal {@code value}. */
    public Builder header(String name, String value) {
      headers.add(() -> HeaderMatch.exact(name, value));
      return this;
    }

    /** Requires header {@code name} to be present. */
    public Builder headerPresent(String name) {
      headers.add(() -> HeaderMatch.present(name));
      return this;
    }

    /** Requires header {@code name} to match {@code regex} as a whole. */
    public Builder headerRegex(String name, String regex) {
      headers.add(() -> HeaderMatch.regex(name, regex));
      return this;
    }

    /** Sends {@code weight} parts of the route's calls to {@code subset}. */
    public Builder split(String subset, int weight) {
      split.add(new WeightedSubset(subset, weight));
      return this;
    }

    /** Sends every call of the route to {@code subset} (blue/green). */
    public Builder to(String subset) {
      split.clear();
      return split(subset, 1);
    }

    /**
     * Sends calls whose header {@code header} equals {@code value} to {@code subset}, whatever the
     * split.
     */
    public Builder override(String header, String value, String subset) {
      overrides.add(() -> new SubsetOverride(header, value, subset));
      return this;
    }

    /** Copies {@code percent} of the route's calls to {@code subset}, with the default bounds. */
    public Builder mirror(String subset, double percent) {
      this.mirror = () -> Mirror.of(subset, percent);
      return this;
    }

    /**
     * Copies {@code percent} of the route's calls to {@code subset}, with at most {@code
     * maxInFlight} copies of this route outstanding, each abandoned after {@code timeout}.
     */
    public Builder mirror(String subset, double percent, int maxInFlight, Duration timeout) {
      this.mirror = () -> new Mirror(subset, percent, maxInFlight, timeout);
      return this;
    }

    /** Injects the fault {@code configure} describes into the route's calls. */
    public Builder fault(Consumer<Fault.Builder> configure) {
      Objects.requireNonNull(configure, "configure");
      this.fault =
          () -> {
            Fault.Builder builder = Fault.builder();
            configure.accept(builder);
            return builder.build();
          };
      return this;
    }

    /**
     * The deadline of the calls this route matches, in place of the service's timeout; a per-call
     * timeout still wins. Default: the service's.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Validates and returns the route.
     *
     * @throws MeshConfigException naming the route and the field that is wrong
     */
    public Route build() {
      if (name == null || name.isBlank()) {
        throw new MeshConfigException("route name", name, "a non-blank name");
      }
      String field = "route '" + name + "'";
      Optional<PathMatch> builtPath =
          path.isEmpty() ? Optional.empty() : Optional.of(within(field, path.get(0)));
      List<HeaderMatch> builtHeaders = new ArrayList<>(headers.size());
      headers.forEach(h -> builtHeaders.add(within(field, h)));
      List<SubsetOverride> builtOverrides = new ArrayList<>(overrides.size());
      overrides.forEach(o -> builtOverrides.add(within(field, o)));
      return new Route(
          name,
          builtPath,
          methods,
          builtHeaders,
          split,
          builtOverrides,
          Optional.ofNullable(mirror).map(m -> within(field, m)),
          Optional.ofNullable(fault).map(f -> within(field, f)),
          Optional.ofNullable(timeout));
    }
  }

  private static <T> T within(String field, Supplier<T> part) {
    try {
      return part.get();
    } catch (MeshConfigException e) {
      throw new MeshConfigException(field + " " + e.field(), e.value(), e);
    }
  }

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

  /**
   * Sends a call to {@code subset} whatever the route's split says when its header {@code header}
   * equals {@code value}; for example {@code x-canary: always} pins a tester to the canary.
   */
  public record SubsetOverride(String header, String value, String subset) {

    public SubsetOverride {
      if (header == null || header.isBlank()) {
        throw new MeshConfigException("override header", header, "a header name such as x-canary");
      }
      if (value == null) {
        throw new MeshConfigException(
            "override '" + header + "' value", null, "the header value that selects the subset");
      }
      if (subset == null || subset.isBlank()) {
        throw new MeshConfigException(
            "override '" + header + "' subset", subset, "the name of a subset");
      }
    }

    @Override
    public String toString() {
      return header + ": " + value + " -> " + subset;
    }
  }

  /**
   * Shadow traffic: a copy of {@code percent} of a route's calls goes to {@code subset} on a mesh
   * thread, and its answer is thrown away. The caller never waits for it and never sees its
   * failure. At most {@code maxInFlight} copies of the route are outstanding (the count carries
   * over a live route swap that keeps the route's name and bound); beyond that, copies are dropped
   * rather than queued, so a slow mirror cannot exhaust threads or memory. Copies carry the header
   * {@value #HEADER} so the mirror can tell them apart; requests with a body the transport can send
   * only once are not copied.
   *
   * @param subset where the copies go
   * @param percent share of the route's calls copied, 0..100
   * @param maxInFlight copies of the route outstanding at once before new ones are dropped; default
   *     32
   * @param timeout how long one copy may take before it is abandoned; default 5 s
   */
  public record Mirror(String subset, double percent, int maxInFlight, Duration timeout) {
    /** Marks a mirrored copy. */
    public static final String HEADER = "x-mesh-shadow";

    public static final int DEFAULT_MAX_IN_FLIGHT = 32;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public Mirror {
      if (subset == null || subset.isBlank()) {
        throw new MeshConfigException("mirror subset", subset, "the name of a subset");
      }
      Validate.percent("mirror percent", percent);
      if (maxInFlight < 1) {
        throw new MeshConfigException("mirror maxInFlight", maxInFlight, "at least 1");
      }
      Validate.positive("mirror timeout", timeout);
    }

    /** Copies {@code percent} of calls to {@code subset}, with the default bounds. */
    public static Mirror of(String subset, double percent) {
      return new Mirror(subset, percent, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT);
    }

    @Override
    public String toString() {
      return "Mirror{"
          + percent
          + "% to "
          + subset
          + ", maxInFlight="
          + maxInFlight
          + ", timeout="
          + timeout.toMillis()
          + " ms}";
    }
  }
}
