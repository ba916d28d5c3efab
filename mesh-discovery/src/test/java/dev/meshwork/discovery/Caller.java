package dev.meshwork.discovery;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a mesh service in a loop on its own thread, through a transport that reaches only the
 * addresses in {@code reachable} (anything else fails as a refused connection would), and counts
 * what happened. A discovery source's troubles must never show up here as failed calls.
 */
final class Caller implements AutoCloseable {
  private static final MeshRequest GET =
      new MeshRequest() {
        @Override
        public String method() {
          return "GET";
        }

        @Override
        public String path() {
          return "/";
        }

        @Override
        public String header(String name) {
          return null;
        }
      };

  final AtomicLong succeeded = new AtomicLong();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();
  private final Set<String> reachable;
  private final Mesh mesh;
  private final String service;
  private final Thread thread;
  private volatile boolean stop;

  Caller(Mesh mesh, String service, Set<String> reachable) {
    this.mesh = mesh;
    this.service = service;
    this.reachable = reachable;
    this.thread = new Thread(this::loop, "caller-" + service);
    thread.setDaemon(true);
    thread.start();
  }

  /** One call on the current thread; returns the address that served it. */
  static String callOnce(Mesh mesh, String service, Set<String> reachable) throws IOException {
    Endpoint[] served = new Endpoint[1];
    MeshTransports.attach(mesh, TransportContext.class, context -> context)
        .invoker(service)
        .invoke(
            GET,
            new Exchange<Integer>() {
              @Override
              public Integer send(Endpoint endpoint, AttemptContext attempt) throws IOException {
                if (!reachable.contains(endpoint.address())) {
                  throw new java.net.ConnectException("Connection refused: " + endpoint.address());
                }
                served[0] = endpoint;
                return 200;
              }

              @Override
              public int status(Integer response) {
                return response;
              }

              @Override
              public void discard(Integer response) {}
            });
    return served[0].address();
  }

  private void loop() {
    while (!stop) {
      try {
        String address = callOnce(mesh, service, reachable);
        servedBy.computeIfAbsent(address, a -> new AtomicLong()).incrementAndGet();
        succeeded.incrementAndGet();
      } catch (IOException | RuntimeException e) {
        failures.add(e.toString());
      }
      Thread.yield();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join();
  }
}
