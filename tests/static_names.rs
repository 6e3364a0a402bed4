//! Name resolution of the static binary in roots that have nothing but what
//! each test writes into /etc: a name from /etc/hosts alone, through
//! /etc/resolv.conf alone (a name server this test runs on a loopback
//! address), with an /etc/nsswitch.conf naming modules the root holds (the
//! host's libnss_*.so.2, libc.so.6 and loader, copied in) and modules it does
//! not, with no /etc at all (`localhost` and `*.localhost`), and in a network
//! namespace with IPv6 alone. In each, the files mapped into the process are
//! read from /proc/PID/maps when it asks the name server and when it
//! connects: the binary is the only one, no shared object is ever loaded.
//!
//! Needs the static binary (`make test`, CODIKA_STATIC_BIN) and root; the
//! IPv6 test also `ip` (iproute2). Without them the tests skip, saying so.

mod support;

use std::net::SocketAddr;
use support::jail::*;
use support::*;

const NAME: &str = "platform.codika.test";

/// `integration list --json` against `base`, watched; asserts success.
fn list(jail: &Jail, base: &str, watch: &Mappings) -> Run {
    let run = jail.run_watched(
        &[
            "integration",
            "list",
            "--json",
            "--api-url",
            base,
            "--api-key",
            OWNER,
        ],
        watch,
    );
    assert_eq!(run.code, 0, "{base}: {}{}", run.stdout, run.stderr);
    run
}

/// `integration set openai` against `base`, watched; asserts that the
/// platform decrypted the value sent.
fn set(jail: &Jail, platform: &Platform, base: &str, watch: &Mappings) {
    let run = jail.run_watched(
        &[
            "integration",
            "set",
            "openai",
            "--secret",
            "OPENAI_API_KEY=sk-jailed-secret",
            "--api-url",
            base,
            "--api-key",
            OWNER,
        ],
        watch,
    );
    assert_eq!(run.code, 0, "{base}: {}{}", run.stdout, run.stderr);
    assert_eq!(
        platform.secret("openai", "OPENAI_API_KEY"),
        "sk-jailed-secret"
    );
}

/// The platform behind a doorway on 127.0.0.1 that reads the mappings.
fn platform_behind_doorway(watch: &Mappings) -> (Platform, Doorway) {
    let platform = Platform::start();
    let doorway = Doorway::start("127.0.0.1:0", platform.address, watch);
    (platform, doorway)
}

#[test]
fn a_name_is_found_in_etc_hosts_alone() {
    let Some(jail) = Jail::new() else { return };
    let watch = Mappings::default();
    let (platform, doorway) = platform_behind_doorway(&watch);
    jail.write("/etc/hosts", &format!("# only this\n127.0.0.1\t{NAME}\n"));
    set(
        &jail,
        &platform,
        &format!("http://{NAME}:{}", doorway.port()),
        &watch,
    );
    watch.assert_only(&jail.binary());
}

#[test]
fn a_name_is_asked_of_the_name_server_of_resolv_conf_alone() {
    let Some(jail) = Jail::new() else { return };
    let watch = Mappings::default();
    let (platform, doorway) = platform_behind_doorway(&watch);
    let server = NameServer::start(NAME, &watch);
    jail.write("/etc/resolv.conf", &format!("nameserver {}\n", server.ip));
    set(
        &jail,
        &platform,
        &format!("http://{NAME}:{}", doorway.port()),
        &watch,
    );
    assert!(
        server.queries().contains(&format!("{NAME} 1")),
        "{:?}",
        server.queries()
    );
    // Read at a query and at the connection.
    assert!(watch.readings() >= 2, "{}", watch.readings());
    watch.assert_only(&jail.binary());

    // A name the server does not know: exit 1 saying which, no crash.
    let unknown = jail.run(&[
        "integration",
        "list",
        "--api-url",
        &format!("http://unknown.codika.test:{}", doorway.port()),
        "--api-key",
        OWNER,
    ]);
    unknown.assert_code(1);
    assert!(
        unknown.stdout.contains("unknown.codika.test")
            || unknown.stderr.contains("unknown.codika.test"),
        "{}{}",
        unknown.stdout,
        unknown.stderr
    );
}

#[test]
fn no_module_nsswitch_conf_names_is_loaded_whether_the_root_has_it_or_not() {
    let Some(jail) = Jail::new() else { return };
    let watch = Mappings::default();
    let (platform, doorway) = platform_behind_doorway(&watch);
    let server = NameServer::start("dns.codika.test", &watch);
    // What Fedora and Ubuntu hosts name. A glibc binary dlopens each module
    // in turn until one answers: the ones this root holds come first, so
    // it would map them (and libc.so.6) before trying files.
    jail.write(
        "/etc/nsswitch.conf",
        "passwd: files systemd sss\n\
         hosts: systemd compat hesiod myhostname mymachines resolve [!UNAVAIL=return] files sss mdns4_minimal dns\n",
    );
    // The modules that exist here, with the C library and loader they need,
    // at the paths a glibc binary would open them from.
    let mut copied = Vec::new();
    for dir in [
        "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu",
        "/lib64",
        "/lib",
    ] {
        for name in [
            "libnss_files.so.2",
            "libnss_dns.so.2",
            "libnss_compat.so.2",
            "libnss_systemd.so.2",
            "libnss_myhostname.so.2",
            "libnss_resolve.so.2",
            "libnss_sss.so.2",
            "libnss_mdns4_minimal.so.2",
            "libnss_hesiod.so.2",
            "libc.so.6",
            "ld-linux-x86-64.so.2",
        ] {
            let path = format!("{dir}/{name}");
            if jail.copy_from_host(&path) {
                copied.push(path);
            }
        }
    }
    eprintln!("copied into the root: {copied:?}");
    jail.write("/etc/hosts", &format!("127.0.0.1 {NAME}\n"));
    jail.write("/etc/resolv.conf", &format!("nameserver {}\n", server.ip));
    list(&jail, &format!("http://{NAME}:{}", doorway.port()), &watch);
    list(
        &jail,
        &format!("http://dns.codika.test:{}", doorway.port()),
        &watch,
    );
    assert!(!server.queries().is_empty());
    watch.assert_only(&jail.binary());
    drop(platform);
}

#[test]
fn with_no_etc_at_all_localhost_names_are_loopback() {
    let Some(jail) = Jail::new() else { return };
    let watch = Mappings::default();
    let (platform, doorway) = platform_behind_doorway(&watch);
    assert_eq!(jail.entries(), ["codika"]);
    for host in ["localhost", "platform.localhost", "LocalHost."] {
        list(&jail, &format!("http://{host}:{}", doorway.port()), &watch);
    }
    set(
        &jail,
        &platform,
        &format!("http://api.localhost:{}", doorway.port()),
        &watch,
    );
    watch.assert_only(&jail.binary());
    assert_eq!(jail.entries(), ["codika"], "the binary wrote nothing");
}

/// What happened in the IPv6-only namespace, told to the test's thread
/// (where a skip must be said).
enum Ipv6Only {
    Ran,
    Cannot(String),
}

#[test]
fn ipv6_only_a_name_with_an_ipv4_and_an_ipv6_line_is_tried_on_both() {
    let Some(jail) = Jail::new() else { return };
    let Some(ip) = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        skip("no ip command (Debian package iproute2) to set up an IPv6-only namespace");
        return;
    };
    // Docker's layout: the IPv4 line first.
    jail.write(
        "/etc/hosts",
        &format!(
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t{NAME}\n::1\t{NAME}\n"
        ),
    );
    // A network namespace is a property of a thread: this one, and the
    // processes and threads it starts, see a loopback with ::1 alone.
    let outcome = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
                    return Ipv6Only::Cannot(format!(
                        "unshare(CLONE_NEWNET): {}",
                        std::io::Error::last_os_error()
                    ));
                }
                for args in [
                    &["link", "set", "lo", "up"][..],
                    &["addr", "del", "127.0.0.1/8", "dev", "lo"][..],
                ] {
                    let status = std::process::Command::new(ip).args(args).status().unwrap();
                    assert!(status.success(), "ip {args:?}");
                }
                assert!(
                    std::net::TcpListener::bind("127.0.0.1:0").is_err(),
                    "the namespace still has IPv4"
                );
                let watch = Mappings::default();
                let platform =
                    Platform::listening(codika_emulator::Options::default(), "[::1]:0", None);
                let doorway = Doorway::start("[::1]:0", platform.address, &watch);
                assert!(matches!(doorway.address, SocketAddr::V6(_)));
                set(
                    &jail,
                    &platform,
                    &format!("http://{NAME}:{}", doorway.port()),
                    &watch,
                );
                for host in ["localhost", "platform.localhost", "[::1]"] {
                    list(&jail, &format!("http://{host}:{}", doorway.port()), &watch);
                }
                watch.assert_only(&jail.binary());
                Ipv6Only::Ran
            })
            .join()
            .unwrap()
    });
    if let Ipv6Only::Cannot(why) = outcome {
        skip(&format!("no network namespace of our own ({why})"));
    }
}
