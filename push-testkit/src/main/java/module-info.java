/**
 * The WebDAV-Push conformance kit: an embedded RFC 8030 push service, an in-memory reference WebDAV
 * server built on davpush, a black-box runner with a requirement catalogue and reports, and a
 * command line.
 */
module dev.davpush.testkit {
  requires dev.davpush.xml;
  requires dev.davpush.webpush;
  requires dev.davpush.server;
  requires dev.davpush.client;
  requires static org.jspecify;
  // serve --jdbc-url only (cli.JdbcBacking); optional dependencies, in the command line jar
  requires static dev.davpush.jdbc;
  requires java.sql;
  requires java.net.http;
  requires java.xml;
  requires jdk.httpserver;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires info.picocli;
  requires static org.junit.jupiter.api;

  exports dev.davpush.testkit;
  exports dev.davpush.testkit.contract;
  exports dev.davpush.testkit.pushservice;
  exports dev.davpush.testkit.reference;
  exports dev.davpush.testkit.reference.faults;
  exports dev.davpush.testkit.report;
  exports dev.davpush.testkit.runner;
  exports dev.davpush.testkit.junit;

  opens dev.davpush.testkit.cli to
      info.picocli;
  // JUnit calls the kit's lifecycle methods and rule tests reflectively
  opens dev.davpush.testkit.junit to
      org.junit.platform.commons;
}
