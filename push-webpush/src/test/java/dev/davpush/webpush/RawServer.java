package dev.davpush.webpush;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server on 127.0.0.1 that misbehaves: it accepts every connection, reads the first bytes of
 * the request, and then never answers, closes the connection, or answers in plain HTTP.
 */
final class RawServer implements AutoCloseable {
  enum Mode {
    /** Reads, then keeps the connection open without a word. */
    SILENT,
    /** Reads, then closes the connection without an answer. */
    CLOSE,
    /** Reads, then answers {@code 400} in plain HTTP/1.1 (whatever was sent) and closes. */
    PLAIN_400
  }

  private final ServerSocket socket;
  private final Mode mode;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstRead = new CountDownLatch(1);
  private final Thread acceptor;

  RawServer(Mode mode) throws IOException {
    this.mode = mode;
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "raw-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Waits until a request's first bytes arrived; false after the timeout. */
  boolean awaitRequest(long seconds) throws InterruptedException {
    return firstRead.await(seconds, TimeUnit.SECONDS);
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        held.add(s);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        if (in.read(buf) > 0) {
          firstRead.countDown();
        }
        if (mode == Mode.PLAIN_400) {
          s.getOutputStream()
              .write(
                  "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
        if (mode != Mode.SILENT) {
          s.close();
        }
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
