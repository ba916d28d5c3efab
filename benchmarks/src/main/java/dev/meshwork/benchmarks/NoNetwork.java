package dev.meshwork.benchmarks;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;

/** A logical call and a transport that does no I/O, so a benchmark measures only the mesh. */
final class NoNetwork {
  private NoNetwork() {}

  /** {@code GET /render/svg}, with header {@code x-user: user-7} for hashing balancers. */
  static final MeshRequest GET = get("user-7");

  /** {@code GET /render/svg} with header {@code x-user: user}. */
  static MeshRequest get(String user) {
    return new MeshRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String path() {
        return "/render/svg";
      }

      @Override
      public String header(String name) {
        return "x-user".equals(name) ? user : null;
      }
    };
  }

  /** Answers 200 to every attempt without sending anything. */
  static final Exchange<Integer> EXCHANGE =
      new Exchange<>() {
        private final Integer ok = 200;

        @Override
        public Integer send(Endpoint endpoint, AttemptContext attempt) {
          return ok;
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
      };
}
