/**
 * End-to-end fan-out harness: plain {@code main} programs (not JMH) that run the server engine
 * ({@code dev.davpush.server.PushEngine} with the Web Push transport) against a push service on the
 * loopback interface of the same machine, side by side with webpush-java 5.1.2 (the anchor).
 *
 * <p>Entry point: {@link dev.davpush.benchmarks.fanout.FanoutBench}. Engine construction and
 * registration live in {@link dev.davpush.benchmarks.fanout.EngineSetup} only, so that changes of
 * the engine's API are a few-line edit there. Results and commands: {@code benchmarks/FANOUT.md}.
 */
@NullMarked
package dev.davpush.benchmarks.fanout;

import org.jspecify.annotations.NullMarked;
