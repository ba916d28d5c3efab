package dev.meshwork.core;

import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transport that sends nothing over the network: it answers each attempt with a status chosen per
 * endpoint and records where attempts went. mesh-core is transport-agnostic; the real OkHttp
 * transport is tested against real servers in mesh-okhttp.
 */
public final class RecordingExchange implements Exchange<Integer> {
  final List<Endpoint> sentTo = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> statusByAddress;
  private final String refusing;

  public RecordingExchange(Map<String, Integer> statusByAddress, String refusingAddress) {
    this.statusByAddress = statusByAddress;
    this.refusing = refusingAddress;
  }

  public static RecordingExchange allOk() {
    return new RecordingExchange(Map.of(), null);
  }

  @Override
  public Integer send(Endpoint endpoint, AttemptContext attempt) throws IOException {
    sentTo.add(endpoint);
    if (endpoint.address().equals(refusing)) {
      throw new java.net.ConnectException("Connection refused");
    }
    return statusByAddress.getOrDefault(endpoint.address(), 200);
  }

  @Override
  public int status(Integer response) {
    return response;
  }

  @Override
  public String header(Integer response, String name) {
    return null;
  }

  @Override
  public void discard(Integer response) {}
}
