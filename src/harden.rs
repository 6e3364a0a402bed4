/*!
Process hardening done first in `main`, before any secret or API key is
read: a crash must not leave a core file holding them. As ssh-agent and
gpg-agent do, the process is marked non-dumpable (which also keeps other
processes of the same user from attaching to it) and its core size limit is
set to zero.
*/

/// Best effort: a kernel that refuses leaves things as they were, and the
/// command still runs.
pub fn no_core_dumps() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes plain integers and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `none` is a valid rlimit that outlives the call.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
}
