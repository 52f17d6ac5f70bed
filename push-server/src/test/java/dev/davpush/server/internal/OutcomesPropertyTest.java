package dev.davpush.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.DeliveryException;
import dev.davpush.PushMessage;
import dev.davpush.Topic;
import dev.davpush.server.internal.Outcomes.Decision;
import dev.davpush.server.internal.Outcomes.Kind;
import dev.davpush.spi.DeliveryResult;
import dev.davpush.spi.PendingDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.jspecify.annotations.Nullable;

/** The outcome stage: what follows one attempt, for every answer and failure. */
class OutcomesPropertyTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static PendingDelivery delivery(int attempt, Duration ttlLeft) {
    return PendingDelivery.builder()
        .registrationId("r1")
        .subscriptionId("https://push.example/a")
        .message(PushMessage.contentUpdate(Topic.of("t"), "s1"))
        .attempt(attempt)
        .notBefore(NOW)
        .deadline(NOW.plus(ttlLeft))
        .idempotencyKey("k1")
        .build();
  }

  record Attempt(
      @Nullable DeliveryResult result,
      @Nullable Throwable error,
      int attempt,
      Duration ttlLeft,
      RetryPolicy policy,
      double jitter) {
    Decision decide() {
      return Outcomes.decide(result, error, delivery(attempt, ttlLeft), NOW, policy, jitter);
    }
  }

  @Provide
  Arbitrary<Duration> retryAfters() {
    return Arbitraries.oneOf(
        Arbitraries.just(null),
        Arbitraries.longs().between(-10, 100_000).map(Duration::ofSeconds),
        Arbitraries.of(Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(2)));
  }

  @Provide
  Arbitrary<DeliveryResult> answers() {
    Arbitrary<Integer> status = Arbitraries.integers().between(100, 599);
    return Arbitraries.oneOf(
        Combinators.combine(status, retryAfters()).as(DeliveryResult::classify),
        Combinators.combine(Arbitraries.of(429, 500, 502, 503, 504), retryAfters())
            .as(DeliveryResult.RetryLater::new));
  }

  @Provide
  Arbitrary<Throwable> failures() {
    Arbitrary<Throwable> delivery =
        Arbitraries.of(DeliveryException.Reason.class).map(r -> new DeliveryException(r, "failed"));
    Arbitrary<Throwable> other =
        Arbitraries.of(
            new IllegalStateException("bug"),
            new NullPointerException(),
            new UncheckedIOException(new IOException("io")),
            new CancellationException(),
            new TimeoutException());
    Arbitrary<Throwable> plain = Arbitraries.oneOf(delivery, other);
    return Arbitraries.oneOf(plain, plain.map(CompletionException::new));
  }

  @Provide
  Arbitrary<RetryPolicy> policies() {
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.integers().between(1, 10), Arbitraries.just(Integer.MAX_VALUE)),
            Arbitraries.longs().between(1, 60_000),
            Arbitraries.longs().between(0, 3_600_000))
        .as(
            (max, initial, extra) ->
                new RetryPolicy(
                    max, Duration.ofMillis(initial), Duration.ofMillis(initial + extra)));
  }

  @Provide
  Arbitrary<Attempt> attempts() {
    Arbitrary<Duration> ttl =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-86_400, 86_400 * 30L).map(Duration::ofSeconds),
            Arbitraries.of(Duration.ZERO, Duration.ofMillis(1)));
    Arbitrary<DeliveryResult> result = Arbitraries.oneOf(answers(), Arbitraries.just(null));
    Arbitrary<Throwable> error = Arbitraries.oneOf(failures(), Arbitraries.just(null));
    return Combinators.combine(
            result,
            error,
            Arbitraries.integers().between(1, 100),
            ttl,
            policies(),
            Arbitraries.doubles().between(0, 0.999_999).ofScale(6))
        .as(Attempt::new);
  }

  @Property
  void aRetryIsNeverAfterTheDeadlineNorBeforeNow(@ForAll("attempts") Attempt a) {
    Decision d = a.decide();
    if (d.kind() == Kind.RETRY) {
      assertThat(d.retryAt()).isNotNull();
      assertThat(d.retryAt()).isAfterOrEqualTo(NOW);
      assertThat(d.retryAt()).isBeforeOrEqualTo(NOW.plus(a.ttlLeft()));
    } else {
      assertThat(d.retryAt()).isNull();
    }
    assertThat(d.reason()).isNotBlank();
  }

  @Property
  void aRetryIsNeverBeforeRetryAfter(
      @ForAll("attempts") Attempt a,
      @ForAll @IntRange(min = 429, max = 599) int status,
      @ForAll("retryAfters") @Nullable Duration retryAfter) {
    if (status > 429 && status < 500) {
      status = 503;
    }
    Attempt withAnswer =
        new Attempt(
            new DeliveryResult.RetryLater(status, retryAfter),
            null,
            a.attempt(),
            a.ttlLeft(),
            a.policy(),
            a.jitter());
    Decision d = withAnswer.decide();
    if (d.kind() == Kind.RETRY && retryAfter != null && !retryAfter.isNegative()) {
      assertThat(d.retryAt()).isAfterOrEqualTo(NOW.plus(retryAfter));
    }
    assertThat(d.kind()).isIn(Kind.RETRY, Kind.GIVE_UP);
  }

  @Property
  void retryLaterIsRetriedWhileTheTtlAndTheAttemptsAllow(
      @ForAll @IntRange(min = 500, max = 599) int status,
      @ForAll @IntRange(min = 1, max = 30) int attempt,
      @ForAll("policies") RetryPolicy policy,
      @ForAll @DoubleRange(min = 0, max = 0.999) @Scale(3) double jitter) {
    Duration delay = policy.delay(attempt, null, jitter);
    boolean attemptsLeft = attempt < policy.maximumAttempts();
    Decision enough =
        new Attempt(
                new DeliveryResult.RetryLater(status, null),
                null,
                attempt,
                delay.plus(Outcomes.MIN_TTL_LEFT),
                policy,
                jitter)
            .decide();
    Decision tooShort =
        new Attempt(
                new DeliveryResult.RetryLater(status, null),
                null,
                attempt,
                delay.plus(Outcomes.MIN_TTL_LEFT).minusMillis(1),
                policy,
                jitter)
            .decide();
    assertThat(enough.kind()).isEqualTo(attemptsLeft ? Kind.RETRY : Kind.GIVE_UP);
    assertThat(tooShort.kind()).isEqualTo(Kind.GIVE_UP);
  }

  @Property
  void anyTwoHundredIsDelivered(
      @ForAll @IntRange(min = 200, max = 299) int status, @ForAll("attempts") Attempt a) {
    Decision d =
        new Attempt(
                new DeliveryResult.Delivered(status),
                null,
                a.attempt(),
                a.ttlLeft(),
                a.policy(),
                a.jitter())
            .decide();
    assertThat(d.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(d.failure()).isFalse();
    assertThat(d.rateLimited()).isFalse();
  }

  @Property
  void anyTwoHundredAnswerAsClassifiedIsDelivered(
      @ForAll @IntRange(min = 200, max = 299) int status) {
    Decision d =
        new Attempt(
                DeliveryResult.classify(status, null),
                null,
                1,
                Duration.ofDays(1),
                RetryPolicy.DEFAULT,
                0.5)
            .decide();
    assertThat(d.kind()).isEqualTo(Kind.DELIVERED);
  }

  @Property
  void notFoundAndGoneAreGone(@ForAll("attempts") Attempt a) {
    for (int status : new int[] {404, 410}) {
      Decision d =
          new Attempt(
                  DeliveryResult.classify(status, null),
                  null,
                  a.attempt(),
                  a.ttlLeft(),
                  a.policy(),
                  a.jitter())
              .decide();
      assertThat(d.kind()).as("status %d", status).isEqualTo(Kind.GONE);
    }
  }

  @Property
  void rejectedAnswersAreGivenUpAndCountAsFailures(
      @ForAll("attempts") Attempt a, @ForAll("rejectedStatuses") int status) {
    Decision d =
        new Attempt(
                DeliveryResult.classify(status, Duration.ofSeconds(1)),
                null,
                a.attempt(),
                a.ttlLeft(),
                a.policy(),
                a.jitter())
            .decide();
    assertThat(d.kind()).isEqualTo(Kind.GIVE_UP);
    assertThat(d.failure()).isTrue();
    assertThat(d.reason()).contains(Integer.toString(status));
  }

  @Provide
  Arbitrary<Integer> rejectedStatuses() {
    return Arbitraries.oneOf(
        Arbitraries.of(400, 401, 403, 413), Arbitraries.integers().between(300, 399));
  }

  @Property
  void aFailureThatCannotHealIsGivenUp(
      @ForAll("attempts") Attempt a,
      @ForAll DeliveryException.Reason reason,
      @ForAll boolean wrapped) {
    Throwable e = new DeliveryException(reason, "failed");
    Decision d =
        new Attempt(
                null,
                wrapped ? new CompletionException(e) : e,
                a.attempt(),
                Duration.ofDays(30),
                RetryPolicy.DEFAULT,
                a.jitter())
            .decide();
    assertThat(d.kind()).isEqualTo(reason.retryable() ? Kind.RETRY : Kind.GIVE_UP);
    assertThat(d.failure()).isTrue();
    assertThat(d.rateLimited()).isFalse();
  }

  @Property
  void aRetryableFailureIsGivenUpOnceTheTtlIsTooShort(
      @ForAll("attempts") Attempt a, @ForAll("retryableReasons") DeliveryException.Reason reason) {
    Duration delay = RetryPolicy.DEFAULT.delay(a.attempt(), null, a.jitter());
    Decision d =
        new Attempt(
                null,
                new DeliveryException(reason, "x"),
                a.attempt(),
                delay.minusNanos(1),
                RetryPolicy.DEFAULT,
                a.jitter())
            .decide();
    assertThat(d.kind()).isEqualTo(Kind.GIVE_UP);
  }

  @Provide
  Arbitrary<DeliveryException.Reason> retryableReasons() {
    return Arbitraries.of(DeliveryException.Reason.class)
        .filter(DeliveryException.Reason::retryable);
  }

  @Property
  void anExceptionOutsideTheContractIsABugAndGivenUp(
      @ForAll("attempts") Attempt a, @ForAll boolean wrapped) {
    for (Throwable e :
        new Throwable[] {
          new IllegalStateException("bug"),
          new NullPointerException(),
          new UncheckedIOException(new IOException("io")),
          new CancellationException()
        }) {
      Decision d =
          new Attempt(
                  null,
                  wrapped ? new CompletionException(e) : e,
                  a.attempt(),
                  Duration.ofDays(30),
                  RetryPolicy.DEFAULT,
                  a.jitter())
              .decide();
      assertThat(d.kind()).as(e.toString()).isEqualTo(Kind.GIVE_UP);
      assertThat(d.failure()).isTrue();
    }
  }

  @Property
  void tooManyRequestsIsRateLimitedAndNotAFailure(
      @ForAll("attempts") Attempt a, @ForAll("retryAfters") @Nullable Duration retryAfter) {
    Decision d =
        new Attempt(
                new DeliveryResult.RetryLater(429, retryAfter),
                null,
                a.attempt(),
                a.ttlLeft(),
                a.policy(),
                a.jitter())
            .decide();
    assertThat(d.rateLimited()).isTrue();
    assertThat(d.failure()).isFalse();
  }

  @Property
  void serverErrorsAreFailuresButNotRateLimits(
      @ForAll @IntRange(min = 500, max = 599) int status, @ForAll("attempts") Attempt a) {
    Decision d =
        new Attempt(
                new DeliveryResult.RetryLater(status, null),
                null,
                a.attempt(),
                a.ttlLeft(),
                a.policy(),
                a.jitter())
            .decide();
    assertThat(d.failure()).isTrue();
    assertThat(d.rateLimited()).isFalse();
  }

  @Example
  void theEnginesAttemptTimeoutIsRetried() {
    Decision d =
        new Attempt(
                null,
                new CompletionException(new TimeoutException()),
                1,
                Duration.ofDays(1),
                RetryPolicy.DEFAULT,
                0.5)
            .decide();
    assertThat(d.kind()).isEqualTo(Kind.RETRY);
    assertThat(d.failure()).isTrue();
  }

  @Example
  void noAnswerAndNoErrorIsABrokenContract() {
    Decision d = new Attempt(null, null, 1, Duration.ofDays(1), RetryPolicy.DEFAULT, 0.5).decide();
    assertThat(d.kind()).isEqualTo(Kind.GIVE_UP);
  }
}
