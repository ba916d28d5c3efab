package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.List;

/** Three real WireMock HTTP servers on loopback, each answering every request with its own name. */
final class ThreeBackends implements AutoCloseable {
  final List<WireMockServer> servers = new ArrayList<>();

  ThreeBackends() {
    for (int i = 1; i <= 3; i++) {
      WireMockServer server =
          new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
      server.start();
      server.stubFor(
          any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("backend-" + i)));
      servers.add(server);
    }
  }

  /** The backends as {@code 127.0.0.1:port} entries for a static service. */
  String[] addresses() {
    return servers.stream().map(s -> "127.0.0.1:" + s.port()).toArray(String[]::new);
  }

  WireMockServer get(int index) {
    return servers.get(index);
  }

  @Override
  public void close() {
    servers.forEach(WireMockServer::stop);
  }
}
