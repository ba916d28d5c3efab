package dev.meshwork.core.transport;

import dev.meshwork.core.ServiceName;
import java.util.Map;

/** What a transport may know of the attempt it is asked to send. */
public interface AttemptContext {

  /** The service the logical call is addressed to. */
  ServiceName service();

  /** 0 for the first attempt of the call, 1 for the first retry, and so on. */
  int attempt();

  /**
   * How long connecting to the endpoint may take, in nanoseconds; never more than {@link
   * #timeoutNanos()}.
   */
  long connectTimeoutNanos();

  /**
   * How long this attempt may wait for the server in total (the per-try timeout, cut to what is
   * left of the call's deadline), in nanoseconds; {@link Long#MAX_VALUE} when unbounded. A
   * transport bounds its connect, write and read waits with it.
   */
  long timeoutNanos();

  /**
   * The time left before the call's deadline, in nanoseconds, to send downstream when {@link
   * #propagateDeadline()} is set; {@link Long#MAX_VALUE} when the call has no deadline.
   */
  long deadlineRemainingNanos();

  /**
   * Whether this attempt may run concurrently with another attempt of the same call (hedging). The
   * transport must then send it independently of the others and stop it on {@link Exchange#cancel}.
   */
  boolean hedged();

  /**
   * Whether the transport should send the remaining deadline in the {@code x-mesh-timeout-ms}
   * header.
   */
  boolean propagateDeadline();

  /**
   * Headers the pipeline asks the transport to set on this attempt's request, replacing any of the
   * same name (the trace context: {@code traceparent}, {@code tracestate}); empty when there are
   * none. Fixed once the transport is asked to send.
   */
  default Map<String, String> headers() {
    return Map.of();
  }
}
