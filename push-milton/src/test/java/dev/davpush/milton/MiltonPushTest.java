package dev.davpush.milton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.davpush.server.PushEngine;
import dev.davpush.webpush.WebPushTransport;
import dev.davpush.webpush.crypto.VapidKeyPair;
import io.milton.config.HttpManagerBuilder;
import io.milton.http.Auth;
import io.milton.http.fs.FileSystemResourceFactory;
import io.milton.http.fs.NullSecurityManager;
import io.milton.http.webdav.ResourceTypeHelper;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiltonPushTest {
  @TempDir Path root;

  @Test
  void installsOnceAndOnlyBeforeInit() {
    try (Fixture f = new Fixture(root)) {
      HttpManagerBuilder milton = f.milton();
      MiltonPush push = MiltonPush.of(f.engine, f.resources);
      push.install(milton);

      assertThatThrownBy(() -> push.install(f.milton()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already installed");
      HttpManagerBuilder initialised = f.milton();
      initialised.init();
      assertThatThrownBy(() -> MiltonPush.of(f.engine, f.resources).install(initialised))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("init()");
    }
  }

  @Test
  void decoratesTheResourceTypeHelperAndPutsItsPartsFirst() {
    try (Fixture f = new Fixture(root)) {
      HttpManagerBuilder milton = f.milton();
      MiltonPush.of(f.engine, f.resources).install(milton);
      milton.buildHttpManager();

      ResourceTypeHelper types = milton.getResourceTypeHelper();
      assertThat(types).isInstanceOf(PushResourceTypeHelper.class);
      assertThat(milton.getPropertySources().get(0)).isInstanceOf(PushPropertySource.class);
      assertThat(milton.getFilters().get(0)).isInstanceOf(PushFilter.class);
      assertThat(milton.getValueWriters().getValueWriters().get(0))
          .isInstanceOf(PushValueWriter.class);
      assertThat(milton.getProtocols()).anyMatch(p -> p instanceof PushExtension);
    }
  }

  @Test
  void theDefaultPrincipalIsMiltonsAuthenticatedUser() {
    assertThat(principalOf(null)).isNull();
    Auth unauthenticated =
        new Auth("Basic " + java.util.Base64.getEncoder().encodeToString("alice:pw".getBytes()));
    assertThat(principalOf(unauthenticated)).isNull();
    unauthenticated.setTag("alice");
    assertThat(principalOf(unauthenticated)).isEqualTo("alice");
  }

  private static String principalOf(Auth auth) {
    io.milton.http.Request request =
        (io.milton.http.Request)
            java.lang.reflect.Proxy.newProxyInstance(
                MiltonPushTest.class.getClassLoader(),
                new Class<?>[] {io.milton.http.Request.class},
                (proxy, method, args) -> method.getName().equals("getAuthorization") ? auth : null);
    return MiltonPush.authenticatedPrincipal(request);
  }

  /** An engine over a file-system factory; nothing is ever published, so nothing is sent. */
  private static final class Fixture implements AutoCloseable {
    final FileSystemResourceFactory factory;
    final MiltonDavResources resources;
    final PushEngine engine;
    final WebPushTransport transport;

    Fixture(Path root) {
      transport =
          WebPushTransport.builder()
              .vapidKeyPair(VapidKeyPair.generate())
              .subject("mailto:test@example.invalid")
              .build();
      factory = new FileSystemResourceFactory(root.toFile(), new NullSecurityManager());
      resources = MiltonDavResources.of(factory);
      engine =
          PushEngine.builder()
              .resources(resources)
              .transport(transport)
              .registrationBase(URI.create("http://127.0.0.1:1/push/registrations/"))
              .build();
    }

    HttpManagerBuilder milton() {
      HttpManagerBuilder b = new HttpManagerBuilder();
      b.setResourceFactory(factory);
      b.setEnableFormAuth(false);
      b.setEnableCookieAuth(false);
      return b;
    }

    @Override
    public void close() {
      engine.close();
      transport.close();
    }
  }
}
