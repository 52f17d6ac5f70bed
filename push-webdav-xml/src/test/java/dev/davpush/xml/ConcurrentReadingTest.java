package dev.davpush.xml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.davpush.RegisterRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentReadingTest {
  @Test
  void readsTheSameDocumentFromManyThreadsAtOnce() throws Exception {
    byte[] doc = Golden.bytes("register-davx5-no-trigger.xml");
    RegisterRequest expected = PushRegisterReader.read(doc);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < 500; i++) {
                    if (!PushRegisterReader.read(doc).equals(expected)) {
                      return false;
                    }
                    if (PushMessageReader.read(Golden.bytes("sample-push-message.xml"))
                        .topic()
                        .isEmpty()) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      start.countDown();
      for (Future<Boolean> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
