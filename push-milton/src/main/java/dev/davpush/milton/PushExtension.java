package dev.davpush.milton;

import io.milton.http.Handler;
import io.milton.http.HttpExtension;
import io.milton.http.http11.CustomPostHandler;
import java.util.List;
import java.util.Set;

/**
 * The milton {@link HttpExtension} carrying the {@code push-register} {@link CustomPostHandler}; it
 * adds no method handler of its own.
 *
 * <p>Thread safety: immutable.
 */
final class PushExtension implements HttpExtension {
  private final List<CustomPostHandler> postHandlers;

  PushExtension(MiltonPush push) {
    this.postHandlers = List.of(new PushRegisterPostHandler(push));
  }

  @Override
  public Set<Handler> getHandlers() {
    return Set.of();
  }

  @Override
  public List<CustomPostHandler> getCustomPostHandlers() {
    return postHandlers;
  }
}
