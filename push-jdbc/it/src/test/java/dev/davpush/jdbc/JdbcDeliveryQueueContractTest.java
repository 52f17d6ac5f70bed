package dev.davpush.jdbc;

import dev.davpush.spi.DeliveryQueue;
import dev.davpush.testkit.contract.DeliveryQueueContract;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The queue contract of the kit against {@link JdbcDeliveryQueue}: one fresh schema per queue (a
 * closed queue's rows would be adopted by the next queue on the same schema), no idle-poll cap (the
 * contract reads {@code nextDue} as the SPI defines it), capacity rules included.
 */
class JdbcDeliveryQueueContractTest extends DeliveryQueueContract {
  private final Map<DeliveryQueue, TestDatabase.Db> schemas = new IdentityHashMap<>();

  @Override
  protected DeliveryQueue createQueue() {
    TestDatabase.Db db = TestDatabase.fresh("queue_contract");
    DeliveryQueue q = JdbcDeliveryQueue.builder(db.dataSource()).idlePoll(null).build();
    schemas.put(q, db);
    return q;
  }

  @Override
  protected DeliveryQueue createQueue(int capacity) {
    TestDatabase.Db db = TestDatabase.fresh("queue_contract");
    DeliveryQueue q =
        JdbcDeliveryQueue.builder(db.dataSource()).idlePoll(null).capacity(capacity).build();
    schemas.put(q, db);
    return q;
  }

  @Override
  protected void disposeQueue(DeliveryQueue queue) throws Exception {
    super.disposeQueue(queue);
    TestDatabase.Db db = schemas.remove(queue);
    if (db != null) {
      db.close();
    }
  }
}
