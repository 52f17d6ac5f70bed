package dev.davpush.webpush;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A test-scope SLF4J backend that enables every logger at TRACE and keeps every line (logger name,
 * level, formatted message, and the class and message of every throwable in the cause chain).
 * Selected for this module's tests with the system property {@code slf4j.provider} (see the
 * module's surefire configuration), so that it wins over slf4j-simple.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
  /** Every line logged since the last {@link #clear()}. */
  private static final List<String> LINES = new CopyOnWriteArrayList<>();

  private static volatile boolean active;

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, Capturing::new);

  /** Creates the provider (called by SLF4J). */
  public CapturingSlf4jProvider() {}

  /** Whether SLF4J picked this provider. */
  static boolean active() {
    return active;
  }

  /** Forgets the lines captured so far. */
  static void clear() {
    LINES.clear();
  }

  /** The lines captured since the last {@link #clear()}. */
  static List<String> lines() {
    return List.copyOf(LINES);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    active = true;
  }

  /** A logger with every level on that appends to {@link #LINES}. */
  private static final class Capturing extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    Capturing(String name) {
      this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String msg, Object[] arguments, Throwable throwable) {
      StringBuilder b = new StringBuilder();
      b.append(level)
          .append(' ')
          .append(name)
          .append(": ")
          .append(MessageFormatter.basicArrayFormat(msg, arguments));
      for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
        b.append(" | ").append(t);
      }
      LINES.add(b.toString());
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
