package dev.meshwork.benchmarks.load;

import java.util.List;

/**
 * The client paths compared; each is driven against the same nginx. S0 to S4 speak HTTP/1.1 to
 * nginx; S5 to S7 reach it over HTTP/2 (TLS, ALPN), where one connection carries every call.
 */
enum Scenario {
  S0("raw OkHttp → nginx (plain)"),
  S1("mesh (static discovery, default policies) → nginx (plain)"),
  S2("raw OkHttp with client certificate → nginx mTLS"),
  S3("raw OkHttp → HAProxy sidecar → nginx mTLS"),
  S4("mesh with mTLS → nginx mTLS"),
  S5("raw OkHttp h2 with client certificate → nginx h2 mTLS"),
  S6("raw OkHttp → HAProxy sidecar → h2 → nginx h2 mTLS"),
  S7("mesh h2 with mTLS → nginx h2 mTLS");

  /** What a run compares unless told otherwise: the HTTP/1.1 scenarios. */
  static final List<Scenario> DEFAULTS = List.of(S0, S1, S2, S3, S4);

  final String description;

  Scenario(String description) {
    this.description = description;
  }

  /** Whether the client sees HTTP/2 responses (the sidecar path's client speaks HTTP/1.1). */
  boolean http2() {
    return this == S5 || this == S7;
  }

  /** Whether the call goes through the HAProxy sidecar, whose CPU then counts too. */
  boolean viaSidecar() {
    return this == S3 || this == S6;
  }
}
