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

  /** The first value of a request header, or {@code null}; names are case-insensitive. */
  String header(String name);

  /** Per-call overrides of the service's timeouts and retries; {@link CallOptions#NONE} by default. */
  default CallOptions options() {
    return CallOptions.NONE;
  }
}
