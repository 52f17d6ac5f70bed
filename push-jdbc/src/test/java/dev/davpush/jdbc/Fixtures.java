package dev.davpush.jdbc;

import dev.davpush.AuthSecret;
import dev.davpush.Depth;
import dev.davpush.P256PublicKey;
import dev.davpush.PropertyName;
import dev.davpush.PushResource;
import dev.davpush.Registration;
import dev.davpush.Topic;
import dev.davpush.Trigger;
import dev.davpush.WebPushSubscription;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Registrations and subscriptions for the tests. */
final class Fixtures {
  static final P256PublicKey KEY =
      P256PublicKey.fromBase64Url(
          "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00.123456789Z");

  private Fixtures() {}

  static WebPushSubscription subscription(String pushResource) {
    return WebPushSubscription.of(PushResource.parse(pushResource), KEY, AuthSecret.random());
  }

  static Registration registration(
      String owner, String path, Topic topic, String pushResource, Instant expires) {
    String id = UUID.randomUUID().toString().replace("-", "");
    return Registration.builder()
        .id(id)
        .registrationUrl(URI.create("https://dav.example/push/" + id))
        .resourcePath(path)
        .topic(topic)
        .owner(owner)
        .subscription(subscription(pushResource))
        .triggers(
            List.of(
                new Trigger.ContentUpdate(Depth.ONE),
                new Trigger.PropertyUpdate(
                    Depth.ZERO, Set.of(PropertyName.DISPLAYNAME, PropertyName.of("urn:x", "c")))))
        .expires(expires)
        .created(NOW)
        .build();
  }
}
