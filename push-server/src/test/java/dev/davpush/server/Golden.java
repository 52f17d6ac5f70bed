package dev.davpush.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads request bodies recorded from deployed clients, from {@code src/test/resources/golden}. */
final class Golden {
  private Golden() {}

  static byte[] bytes(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
