package dev.meshwork.benchmarks.load;

/** The client paths compared; each is driven against the same nginx. */
enum Scenario {
  S0("raw OkHttp → nginx (plain)"),
  S1("mesh (static discovery, default policies) → nginx (plain)"),
  S2("raw OkHttp with client certificate → nginx mTLS"),
  S3("raw OkHttp → HAProxy sidecar → nginx mTLS"),
  S4("mesh with mTLS → nginx mTLS");

  final String description;

  Scenario(String description) {
    this.description = description;
  }
}
