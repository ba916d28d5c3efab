package dev.meshwork.test.internal;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Answers every request of a fake endpoint as its script's current step says, in place of WireMock
 * stubs: the status and body, a fault, a slow body, after the step's virtual delay (the clock is
 * moved) and real hold. Every answer names the endpoint in {@code x-fake-endpoint}.
 */
public final class ScriptTransformer implements ResponseDefinitionTransformerV2 {
  /** The header every answer names its endpoint in. */
  public static final String ENDPOINT_HEADER = "x-fake-endpoint";

  private static final String PROBE_AGENT = "meshwork-health-check";

  private final String endpoint;
  private final ScriptRunner runner;
  private final LongConsumer passVirtualTime;

  public ScriptTransformer(String endpoint, ScriptRunner runner, LongConsumer passVirtualTime) {
    this.endpoint = endpoint;
    this.runner = runner;
    this.passVirtualTime = passVirtualTime;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    boolean probe = PROBE_AGENT.equals(event.getRequest().getHeader("User-Agent"));
    Step step = runner.onCall(probe);
    if (step.delayNanos() > 0) {
      passVirtualTime.accept(step.delayNanos());
    }
    if (step.holdNanos() > 0) {
      try {
        runner.hold(step.holdNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ResponseDefinitionBuilder answer =
        ResponseDefinitionBuilder.responseDefinition().withHeader(ENDPOINT_HEADER, endpoint);
    switch (step.kind()) {
      case RESET, REFUSE, WRONG_IDENTITY -> answer.withFault(Fault.CONNECTION_RESET_BY_PEER);
      case EMPTY_REPLY -> answer.withFault(Fault.EMPTY_RESPONSE);
      case RESPOND -> {
        answer.withStatus(step.status());
        if (step.slowBytes() > 0) {
          long millis =
              Math.max(1, TimeUnit.SECONDS.toMillis(step.slowBytes()) / step.bytesPerSecond());
          answer
              .withBody("x".repeat(step.slowBytes()))
              .withChunkedDribbleDelay(
                  (int) Math.min(step.slowBytes(), 1 + millis / 20), (int) millis);
        } else {
          answer.withBody(step.body() != null ? step.body() : defaultBody(step.status()));
        }
      }
    }
    return answer.build();
  }

  private String defaultBody(int status) {
    return status == 200 ? endpoint : endpoint + " answered " + status;
  }

  @Override
  public String getName() {
    return "mesh-test-script-" + endpoint;
  }
}
