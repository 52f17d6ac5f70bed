package dev.davpush.testkit.contract;

import dev.davpush.spi.PushTransport;
import dev.davpush.webpush.PushResourcePolicy;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import java.time.Duration;

/** The transport contract against the Web Push transport, on the kit's loopback push service. */
class WebPushTransportContractTest extends PushTransportContract {
  @Override
  protected PushTransport createTransport(Duration timeout) {
    return WebPushTransport.builder()
        .vapidKeyPair(VapidKeyPair.generate())
        .pushResourcePolicy(
            PushResourcePolicy.builder().allowHttp(true).allowLoopback(true).build())
        .connectTimeout(timeout)
        .responseTimeout(timeout)
        .build();
  }
}
