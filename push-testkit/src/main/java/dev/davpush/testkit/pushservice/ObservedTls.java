package dev.davpush.testkit.pushservice;

import java.nio.ByteBuffer;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A server TLS context whose engines report how their handshakes fail: an {@link SSLContext} that
 * delegates everything to a real one and wraps each {@link SSLEngine} it creates, so that the push
 * service learns of a client that rejects its certificate or speaks plain HTTP, which {@code
 * com.sun.net.httpserver.HttpsServer} otherwise swallows.
 *
 * <p>Thread safety: the context is thread-safe; each engine is used by one connection.
 */
final class ObservedTls {
  private ObservedTls() {}

  /** Wraps a server context; every failed handshake goes to {@code sink}. */
  static SSLContext observe(SSLContext real, Clock clock, Consumer<TlsHandshakeFailure> sink) {
    return new SSLContext(new Spi(real, clock, sink), real.getProvider(), real.getProtocol()) {};
  }

  /** Classifies a handshake exception: a certificate alert from the peer, or another failure. */
  static TlsHandshakeFailure.Kind classify(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    boolean alert = m.contains("received fatal alert");
    boolean certificate =
        m.contains("certificate") || m.contains("unknown_ca") || m.contains("access_denied");
    return alert && certificate
        ? TlsHandshakeFailure.Kind.CERTIFICATE_REJECTED
        : TlsHandshakeFailure.Kind.OTHER;
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext real;
    private final Clock clock;
    private final Consumer<TlsHandshakeFailure> sink;

    Spi(SSLContext real, Clock clock, Consumer<TlsHandshakeFailure> sink) {
      this.real = real;
      this.clock = clock;
      this.sink = sink;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      real.init(km, tm, sr);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return new Engine(real.createSSLEngine(), clock, sink);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return new Engine(real.createSSLEngine(host, port), clock, sink);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real.getSupportedSSLParameters();
    }
  }

  /** Delegates to a real engine; watches the first inbound bytes and handshake exceptions. */
  private static final class Engine extends SSLEngine {
    private final SSLEngine d;
    private final Clock clock;
    private final Consumer<TlsHandshakeFailure> sink;
    private boolean firstBytesSeen;
    private boolean reported;
    private boolean established;
    private boolean certificateSent;

    Engine(SSLEngine d, Clock clock, Consumer<TlsHandshakeFailure> sink) {
      super(d.getPeerHost(), d.getPeerPort());
      this.d = d;
      this.clock = clock;
      this.sink = sink;
    }

    private void report(TlsHandshakeFailure.Kind kind, String detail) {
      if (!reported) {
        reported = true;
        sink.accept(new TlsHandshakeFailure(clock.instant(), kind, detail));
      }
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
        throws SSLException {
      try {
        SSLEngineResult r = seen(d.wrap(srcs, offset, length, dst));
        if (!established && r.bytesProduced() > 0) {
          certificateSent = true; // the server's first flight carries its certificate
        }
        return r;
      } catch (SSLException e) {
        failed(e);
        throw e;
      }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
        throws SSLException {
      if (!firstBytesSeen && src.hasRemaining()) {
        firstBytesSeen = true;
        byte b = src.get(src.position());
        if (b >= 'A' && b <= 'Z') {
          report(
              TlsHandshakeFailure.Kind.PLAINTEXT_HTTP,
              "plain HTTP on the TLS port (first byte '" + (char) b + "')");
        }
      }
      try {
        return seen(d.unwrap(src, dsts, offset, length));
      } catch (SSLException e) {
        failed(e);
        throw e;
      }
    }

    private SSLEngineResult seen(SSLEngineResult r) {
      if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
        established = true;
      }
      return r;
    }

    private void failed(SSLException e) {
      if (established) {
        return; // a failure after the handshake is no failure to reach the push service
      }
      String message = String.valueOf(e.getMessage());
      report(classify(message), message);
    }

    @Override
    public Runnable getDelegatedTask() {
      return d.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
      abandoned();
      d.closeInbound();
    }

    /**
     * The peer closed the connection: if it did so after receiving the certificate and before
     * finishing the handshake, without an alert (the JDK's clients often send none), it did not
     * accept the certificate (its trust anchors, or its name).
     */
    private void abandoned() {
      if (!established && certificateSent && !reported) {
        report(
            TlsHandshakeFailure.Kind.CERTIFICATE_REJECTED,
            "the client closed the connection after receiving the certificate, before finishing"
                + " the handshake");
      }
    }

    @Override
    public boolean isInboundDone() {
      return d.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      abandoned();
      d.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return d.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return d.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return d.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      d.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return d.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return d.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      d.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return d.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
      return d.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
      d.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return d.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
      d.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return d.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      d.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return d.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      d.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return d.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      d.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return d.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
      return d.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
      d.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
      return d.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
      return d.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(
        BiFunction<SSLEngine, List<String>, String> selector) {
      d.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
      return d.getHandshakeApplicationProtocolSelector();
    }
  }
}
