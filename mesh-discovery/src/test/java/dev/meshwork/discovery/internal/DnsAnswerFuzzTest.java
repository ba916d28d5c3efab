package dev.meshwork.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.Endpoint;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * Fuzzes what DNS servers answer: the wire messages of an SRV lookup and of an address lookup, as
 * the resolver decodes them, through {@link DnsLookup}. A lookup either yields valid endpoints with
 * a TTL, or fails with {@link DnsLookup.LookupFailed} or the resolver's {@link IOException}, which
 * the DNS watch reports while keeping the last good endpoints. Input: the answers in DNS over TCP
 * framing (a two-byte length before each message), handed out in query order; a query past the last
 * one times out. Seeds: {@code
 * src/test/resources/dev/meshwork/discovery/internal/DnsAnswerFuzzTestInputs}.
 */
class DnsAnswerFuzzTest {
  private static final Name SRV_NAME = Name.fromConstantString("_http._tcp.mathoid.mesh.test.");
  private static final Name HOST_NAME = Name.fromConstantString("mathoid.mesh.test.");
  private static final int PORT = 8080;

  @FuzzTest
  void srv(byte[] input) {
    DnsLookup lookup = new DnsLookup(new ReplayResolver(input), Runnable::run);
    check(lookup.srv(SRV_NAME), null);
  }

  @FuzzTest
  void addresses(byte[] input) {
    DnsLookup lookup = new DnsLookup(new ReplayResolver(input), Runnable::run);
    check(lookup.addresses(HOST_NAME, PORT), PORT);
  }

  private static void check(CompletionStage<DnsLookup.Answer> stage, Integer port) {
    CompletableFuture<DnsLookup.Answer> future = stage.toCompletableFuture();
    assertTrue(future.isDone(), "a lookup whose answers are all in completes at once");
    DnsLookup.Answer answer;
    try {
      answer = future.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      assertTrue(
          cause instanceof DnsLookup.LookupFailed || cause instanceof IOException,
          "a lookup fails with LookupFailed or the resolver's IOException, not " + cause);
      return;
    }
    assertTrue(answer.ttlSeconds() >= 0, "TTL " + answer.ttlSeconds());
    Set<String> addresses = new HashSet<>();
    for (Endpoint endpoint : answer.endpoints()) {
      assertTrue(addresses.add(endpoint.address()), "each address once: " + answer.endpoints());
      assertEquals(endpoint, Endpoint.parse(endpoint.address() + " weight=" + endpoint.weight()));
      if (port != null) {
        assertEquals(port.intValue(), endpoint.port());
      }
    }
  }

  /** Answers each query with the next framed message of the input, as a resolver decodes it. */
  private static final class ReplayResolver implements Resolver {
    private final ByteBuffer answers;

    ReplayResolver(byte[] input) {
      this.answers = ByteBuffer.wrap(input);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      if (answers.remaining() < 2) {
        return CompletableFuture.failedFuture(new SocketTimeoutException("no answer"));
      }
      int length = Math.min(Short.toUnsignedInt(answers.getShort()), answers.remaining());
      byte[] wire = new byte[length];
      answers.get(wire);
      try {
        Message response = new Message(wire);
        response.getHeader().setID(query.getHeader().getID());
        return CompletableFuture.completedFuture(response);
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void setPort(int port) {}

    @Override
    public void setTCP(boolean flag) {}

    @Override
    public void setIgnoreTruncation(boolean flag) {}

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

    @Override
    public void setTSIGKey(TSIG key) {}

    @Override
    public void setTimeout(Duration timeout) {}
  }
}
