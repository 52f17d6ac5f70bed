package dev.davpush.spi;

import java.util.Map;

/**
 * Creates {@link PushTransport}s; registered in {@code META-INF/services} and in {@code
 * module-info} ({@code provides}) so that {@link java.util.ServiceLoader} finds it.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
public interface PushTransportProvider {
  /**
   * The name of the transports this provider creates.
   *
   * @return for example {@code web-push}
   */
  String name();

  /**
   * Creates a transport.
   *
   * @param configuration provider-specific settings, documented by the provider; unknown keys are
   *     ignored
   * @return a new transport, owned (and closed) by the caller
   * @throws IllegalArgumentException if a setting is invalid
   */
  PushTransport create(Map<String, String> configuration);
}
