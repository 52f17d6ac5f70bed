package dev.davpush.testkit.contract;

import dev.davpush.spi.PushTransport;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.time.Duration;

/**
 * The transport kit against {@link #fault} (or, when null, {@link WebPushTransport} as it is). Not
 * run by the build on its own: {@link ContractKitSelfTest} runs it through the Launcher once per
 * fault.
 */
class BrokenTransportKit extends PushTransportContract {
  static volatile BrokenTransport fault;

  @Override
  protected PushTransport createTransport(Duration timeout) {
    PushTransport t =
        WebPushTransport.builder()
            .vapidKeyPair(VapidKeyPair.generate())
            .pushResourcePolicy(
                PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
            .connectTimeout(timeout)
            .responseTimeout(timeout)
            .build();
    BrokenTransport f = fault;
    return f == null ? t : f.wrap(t);
  }
}
