package dev.davpush.server;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Captures every {@link System.Logger} line of davpush's loggers (all levels) so that tests can
 * check what the engine logs; other loggers are off. Installed for the test JVM through
 * {@code META-INF/services/java.lang.System$LoggerFinder}.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
  static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  @Override
  public System.Logger getLogger(String name, Module module) {
    boolean ours = name.startsWith("dev.davpush");
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return ours;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (ours) {
          LINES.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
        }
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (ours) {
          LINES.add(
              level + " " + (params == null || params.length == 0
                  ? format
                  : MessageFormat.format(format, params)));
        }
      }
    };
  }
}
