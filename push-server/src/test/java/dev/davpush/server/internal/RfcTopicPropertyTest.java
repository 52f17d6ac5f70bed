package dev.davpush.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.PropertyName;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The RFC 8030 Topic header (R-WDP-60): shape, which messages share it, and what it hides. */
class RfcTopicPropertyTest {

  @Provide
  Arbitrary<String> pushResources() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.:%")
        .ofMinLength(1)
        .ofMaxLength(300)
        .map(s -> "https://push.example/" + s);
  }

  /** WebDAV-Push topics of the length servers use (UUIDs, paths, random tokens). */
  @Provide
  Arbitrary<Topic> topics() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            .ofMinLength(8)
            .ofMaxLength(64)
            .map(Topic::of),
        Arbitraries.strings()
            .alpha()
            .numeric()
            .ofMinLength(1)
            .ofMaxLength(200)
            .map(s -> Topic.of("/cal/" + s + "/")),
        Arbitraries.just(0).map(x -> Topic.random()));
  }

  @Provide
  Arbitrary<PushMessage> messages() {
    return topics().flatMap(this::messagesOf);
  }

  Arbitrary<PushMessage> messagesOf(Topic t) {
    Arbitrary<String> token =
        Arbitraries.oneOf(
            Arbitraries.just(null),
            Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(80)
                .alpha()
                .map(s -> "http://example.com/sync/" + s));
    return Arbitraries.oneOf(
        token.map(s -> PushMessage.contentUpdate(t, s)),
        Arbitraries.just(propertyOnly(t)),
        token.map(s -> PushMessage.contentUpdate(t, s).merge(propertyOnly(t))),
        Arbitraries.just(
            PushMessage.keyRotation(
                PropertyName.of("https://bitfire.at/webdav-push", "transports"))));
  }

  static PushMessage propertyOnly(Topic t) {
    return PushMessage.builder().topic(t).propertyUpdate(new PushMessage.PropertyUpdate()).build();
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(16).ofMaxSize(64);
  }

  @Property
  void isThirtyTwoCharactersOfTheTopicAlphabet(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String push,
      @ForAll("messages") PushMessage m) {
    assertThat(new RfcTopic(key).of(push, m)).matches("[A-Za-z0-9_-]{32}");
  }

  @Property
  void isEqualForEqualInputsAndTheSameKeyAcrossInstances(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String push,
      @ForAll("messages") PushMessage m) {
    RfcTopic a = new RfcTopic(key);
    RfcTopic b = new RfcTopic(key.clone());
    assertThat(a.of(push, m)).isEqualTo(a.of(push, m)).isEqualTo(b.of(new String(push), m));
  }

  @Property
  void contentOnlyAndPropertyUpdateMessagesNeverShareATopic(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String push,
      @ForAll("topics") Topic t,
      @ForAll @Size(max = 1) Set<String> token) {
    RfcTopic r = new RfcTopic(key);
    String content =
        r.of(push, PushMessage.contentUpdate(t, token.stream().findAny().orElse(null)));
    assertThat(content)
        .isNotEqualTo(r.of(push, propertyOnly(t)))
        .isNotEqualTo(r.of(push, PushMessage.contentUpdate(t, "x").merge(propertyOnly(t))));
  }

  @Property
  void contentOnlyMessagesShareATopicWhateverTheirSyncToken(
      @ForAll("keys") byte[] key, @ForAll("pushResources") String push, @ForAll("topics") Topic t) {
    RfcTopic r = new RfcTopic(key);
    assertThat(r.of(push, PushMessage.contentUpdate(t, "http://example.com/sync/1")))
        .isEqualTo(r.of(push, PushMessage.contentUpdate(t, "http://example.com/sync/2")))
        .isEqualTo(r.of(push, PushMessage.contentUpdate(t, null)));
  }

  /**
   * A push service delivers only the newest stored message of a Topic: a later property-only
   * message must not replace an undelivered one that also carries a content update (R-WDP-43).
   */
  @Property
  void aPropertyOnlyMessageNeverReplacesOneThatAlsoCarriesAContentUpdate(
      @ForAll("keys") byte[] key, @ForAll("pushResources") String push, @ForAll("topics") Topic t) {
    RfcTopic r = new RfcTopic(key);
    PushMessage both =
        PushMessage.contentUpdate(t, "http://example.com/sync/9").merge(propertyOnly(t));
    assertThat(r.of(push, propertyOnly(t))).isNotEqualTo(r.of(push, both));
  }

  @Property
  void differsBetweenPushResources(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String a,
      @ForAll("pushResources") String b,
      @ForAll("messages") PushMessage m) {
    Assume.that(!a.equals(b));
    RfcTopic r = new RfcTopic(key);
    assertThat(r.of(a, m)).isNotEqualTo(r.of(b, m));
  }

  @Property
  void differsBetweenWebDavTopics(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String push,
      @ForAll("topics") Topic a,
      @ForAll("topics") Topic b) {
    Assume.that(!a.equals(b));
    RfcTopic r = new RfcTopic(key);
    assertThat(r.of(push, PushMessage.contentUpdate(a, null)))
        .isNotEqualTo(r.of(push, PushMessage.contentUpdate(b, null)));
  }

  @Property
  void differsBetweenKeys(
      @ForAll("keys") byte[] k1,
      @ForAll("keys") byte[] k2,
      @ForAll("pushResources") String push,
      @ForAll("messages") PushMessage m) {
    Assume.that(!java.util.Arrays.equals(k1, k2));
    assertThat(new RfcTopic(k1).of(push, m)).isNotEqualTo(new RfcTopic(k2).of(push, m));
  }

  @Property
  void neverContainsTheWebDavTopicNorThePushResource(
      @ForAll("keys") byte[] key,
      @ForAll("pushResources") String push,
      @ForAll("messages") PushMessage m) {
    String header = new RfcTopic(key).of(push, m);
    m.topic().ifPresent(t -> assertThat(header).doesNotContain(t.value()));
    assertThat(header)
        .doesNotContain(
            push.substring("https://push.example/".length()).length() >= 8
                ? push.substring("https://push.example/".length())
                : "https://");
  }

  @Example
  void aKeyRotationMessageHasItsOwnTopic() {
    RfcTopic r = new RfcTopic(new byte[16]);
    PushMessage rotation =
        PushMessage.keyRotation(PropertyName.of("https://bitfire.at/webdav-push", "transports"));
    assertThat(r.of("https://push.example/a", rotation)).matches("[A-Za-z0-9_-]{32}");
    assertThat(r.of("https://push.example/a", rotation))
        .isNotEqualTo(r.of("https://push.example/a", propertyOnly(Topic.of("x"))));
  }

  @Example
  void refusesAShortKey() {
    assertThatThrownBy(() -> new RfcTopic(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16");
  }
}
