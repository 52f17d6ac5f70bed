package dev.davpush.jdbc;

import dev.davpush.spi.SubscriptionStore;
import dev.davpush.testkit.contract.SubscriptionStoreContract;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The store contract of the kit against {@link JdbcSubscriptionStore}, one fresh schema per test.
 */
class JdbcSubscriptionStoreContractTest extends SubscriptionStoreContract {
  private final Map<SubscriptionStore, TestDatabase.Db> schemas = new IdentityHashMap<>();

  @Override
  protected SubscriptionStore createStore() {
    TestDatabase.Db db = TestDatabase.fresh("store_contract");
    SubscriptionStore store = new JdbcSubscriptionStore(db.dataSource());
    schemas.put(store, db);
    return store;
  }

  @Override
  protected void disposeStore(SubscriptionStore store) {
    TestDatabase.Db db = schemas.remove(store);
    if (db != null) {
      db.close();
    }
  }
}
