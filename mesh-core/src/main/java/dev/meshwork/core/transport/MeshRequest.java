package dev.meshwork.core.transport;

/**
 * A transport's logical request as the pipeline sees it: enough to route, balance and decide
 * whether a retry is safe, without the core knowing the HTTP client in use. Implementations wrap
 * the transport's request object and do not copy it.
 */
public interface MeshRequest {

  /** The HTTP method in upper case, for example {@code GET}. */
  String method();

  /** The path of the logical URL, starting with {@code /}, without the query. */
  String path();

  /**
   * The encoded query of the logical URL without the {@code ?}, or {@code null} when it has none.
   */
  default String query() {
    return null;
  }

  /**
   * The path's template, such as {@code /render/{format}}, when the caller declared one (a Retrofit
   * method's annotation), or {@code null}. Metrics and span names use it; raw paths would make
   * unbounded tag values.
   */
  default String pathTemplate() {
    return null;
  }

  /** The first value of a request header, or {@code null}; names are case-insensitive. */
  String header(String name);

  /**
   * Per-call overrides of the service's timeouts and retries; {@link CallOptions#NONE} by default.
   */
  default CallOptions options() {
    return CallOptions.NONE;
  }
}
