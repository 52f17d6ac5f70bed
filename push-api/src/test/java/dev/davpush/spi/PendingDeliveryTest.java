package dev.davpush.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PendingDeliveryTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static PendingDelivery withProperties(List<PropertyName> properties) {
    return PendingDelivery.builder()
        .registrationId("AAAAAAAAAAAAAAAAAAAAAA")
        .subscriptionId("https://push.example/wpush/v2/abc")
        .message(
            PushMessage.builder()
                .topic(Topic.of("t"))
                .propertyUpdate(new PushMessage.PropertyUpdate(new LinkedHashSet<>(properties)))
                .build())
        .notBefore(NOW)
        .deadline(NOW.plusSeconds(60))
        .idempotencyKey("k1")
        .build();
  }

  // Enough names that the set's layout depends on the order they were added in.
  static List<PropertyName> manyProperties() {
    return IntStream.range(0, 60)
        .mapToObj(i -> PropertyName.of("urn:ns" + (i % 7), "p" + i))
        .toList();
  }

  @Test
  void equalDeliveriesHaveTheSameForm() {
    List<PropertyName> forward = manyProperties();
    List<PropertyName> backward = new ArrayList<>(forward);
    java.util.Collections.reverse(backward);
    PendingDelivery a = withProperties(forward);
    PendingDelivery b = withProperties(backward);
    assertThat(a).isEqualTo(b);
    assertThat(a.serialize()).isEqualTo(b.serialize());
  }

  @Test
  void aFormReadBackIsWrittenTheSameWay() {
    String form = withProperties(manyProperties()).serialize();
    assertThat(PendingDelivery.parse(form).serialize()).isEqualTo(form);
  }

  @Test
  void propertiesAreWrittenInNamespaceThenLocalNameOrder() {
    String form =
        withProperties(
                List.of(
                    PropertyName.of("urn:b", "a"),
                    PropertyName.of("urn:a", "z"),
                    PropertyName.of("urn:a", "b")))
            .serialize();
    assertThat(form)
        .containsSubsequence(
            "property=urn%253Aa+b\n", "property=urn%253Aa+z\n", "property=urn%253Ab+a\n");
  }
}
