package dev.davpush.testkit.junit;

import dev.davpush.testkit.reference.ReferenceServer;
import java.time.Duration;

/** A server author's subclass of the kit, here for the reference server: the whole of it. */
class ReferenceServerConformanceTest extends PushServerConformanceKit {
  @Override
  protected KitTarget target() {
    ReferenceServer server =
        ReferenceServer.builder().user("alice", "a-secret").user("bob", "b-secret").start();
    return KitTarget.of(server.calendarUri())
        .credentials("alice", "a-secret")
        .secondUser("bob", "b-secret")
        .quietPeriod(Duration.ofSeconds(1))
        .expireHook(server::expireRegistration)
        .keyRotationHook(server::rotateVapidKey)
        .closing(server);
  }
}
