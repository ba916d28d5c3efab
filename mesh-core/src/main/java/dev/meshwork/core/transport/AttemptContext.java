package dev.meshwork.core.transport;

import dev.meshwork.core.ServiceName;

/** What a transport may know of the attempt it is asked to send. */
public interface AttemptContext {

  /** The service the logical call is addressed to. */
  ServiceName service();

  /** 0 for the first attempt of the call, 1 for the first retry, and so on. */
  int attempt();
}
