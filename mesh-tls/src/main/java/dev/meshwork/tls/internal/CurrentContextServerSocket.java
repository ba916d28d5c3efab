package dev.meshwork.tls.internal;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The server socket of a mesh {@code SSLContext}. A JDK {@code SSLServerSocket} stays bound to the
 * context it came from, with that context's session caches, so a context swapped after a trust
 * change would never reach it and old sessions would stay resumable. This one accepts plain TCP
 * connections and layers TLS over each from the context current at that moment, with the parameters
 * set on this socket; accepted sockets have TCP_NODELAY set, since HTTP servers write a reply's
 * head and body separately and would otherwise wait for the peer's delayed ACK.
 */
final class CurrentContextServerSocket extends SSLServerSocket {
  private final Supplier<SSLContext> current;
  private volatile SSLParameters parameters;
  private volatile boolean useClientMode;
  private volatile boolean enableSessionCreation = true;

  CurrentContextServerSocket(Supplier<SSLContext> current, SSLParameters parameters)
      throws IOException {
    this.current = current;
    this.parameters = copy(parameters);
  }

  /** The next connection, as an {@code SSLSocket} (not yet handshaken) of the current context. */
  @Override
  public Socket accept() throws IOException {
    Socket raw = super.accept();
    try {
      raw.setTcpNoDelay(true);
      SSLSocket ssl = (SSLSocket) current.get().getSocketFactory().createSocket(raw, null, true);
      ssl.setSSLParameters(copy(parameters));
      ssl.setUseClientMode(useClientMode);
      ssl.setEnableSessionCreation(enableSessionCreation);
      return ssl;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  @Override
  public SSLParameters getSSLParameters() {
    return copy(parameters);
  }

  @Override
  public void setSSLParameters(SSLParameters parameters) {
    this.parameters = copy(parameters);
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return parameters.getCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    SSLParameters next = copy(parameters);
    next.setCipherSuites(suites.clone());
    parameters = next;
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return current.get().getSupportedSSLParameters().getCipherSuites();
  }

  @Override
  public String[] getSupportedProtocols() {
    return current.get().getSupportedSSLParameters().getProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return parameters.getProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    SSLParameters next = copy(parameters);
    next.setProtocols(protocols.clone());
    parameters = next;
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    SSLParameters next = copy(parameters);
    next.setNeedClientAuth(need);
    parameters = next;
  }

  @Override
  public boolean getNeedClientAuth() {
    return parameters.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    SSLParameters next = copy(parameters);
    next.setWantClientAuth(want);
    parameters = next;
  }

  @Override
  public boolean getWantClientAuth() {
    return parameters.getWantClientAuth();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    this.useClientMode = mode;
  }

  @Override
  public boolean getUseClientMode() {
    return useClientMode;
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    this.enableSessionCreation = flag;
  }

  @Override
  public boolean getEnableSessionCreation() {
    return enableSessionCreation;
  }

  @Override
  public String toString() {
    return "SSLServerSocket[mesh context, " + getLocalSocketAddress() + "]";
  }

  private static SSLParameters copy(SSLParameters from) {
    SSLParameters to = new SSLParameters(from.getCipherSuites(), from.getProtocols());
    if (from.getNeedClientAuth()) {
      to.setNeedClientAuth(true);
    } else {
      to.setWantClientAuth(from.getWantClientAuth());
    }
    to.setAlgorithmConstraints(from.getAlgorithmConstraints());
    to.setEndpointIdentificationAlgorithm(from.getEndpointIdentificationAlgorithm());
    to.setServerNames(from.getServerNames());
    to.setSNIMatchers(from.getSNIMatchers());
    to.setUseCipherSuitesOrder(from.getUseCipherSuitesOrder());
    to.setEnableRetransmissions(from.getEnableRetransmissions());
    to.setMaximumPacketSize(from.getMaximumPacketSize());
    to.setApplicationProtocols(from.getApplicationProtocols());
    return to;
  }
}
