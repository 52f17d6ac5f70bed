/**
 * Contract kits for implementers of davpush's service-provider interfaces: abstract JUnit 5
 * classes, {@link dev.davpush.testkit.contract.SubscriptionStoreContract}, {@link
 * dev.davpush.testkit.contract.DeliveryQueueContract} and {@link
 * dev.davpush.testkit.contract.PushTransportContract}, that check an implementation against every
 * promise of the SPI's Javadoc that a test can check. An implementer extends one, supplies a
 * factory method (and optional hooks), and runs it with the rest of their tests:
 *
 * <pre>{@code
 * class JdbcSubscriptionStoreContractTest extends SubscriptionStoreContract {
 *   @Override
 *   protected SubscriptionStore createStore() {
 *     return new JdbcSubscriptionStore(freshDatabase());
 *   }
 * }
 * }</pre>
 *
 * <p>Each test checks one {@link dev.davpush.testkit.contract.ContractRule}, whose ID and statement
 * are the test's display name. The kits need JUnit Jupiter 5.12 or later on the test class path
 * (this artifact declares it optional), and AssertJ is not needed: failures are plain JUnit
 * assertion errors that name the rule's expectation.
 */
@NullMarked
package dev.davpush.testkit.contract;

import org.jspecify.annotations.NullMarked;
