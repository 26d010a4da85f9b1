//! The program's allocator: the system's, with one hint. The kernel is asked
//! to back each large block (the identifier tables and the key map of a
//! large file, the rows of the largest files) with 2 MiB transparent huge
//! pages, where this machine's kernel gives them only on request
//! (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`).
//!
//! At a million clients those blocks are gigabytes written once and read
//! at random: in 4 KiB pages each is a page fault of its own and a miss of
//! the processor's address cache on nearly every lookup. The hint changes
//! no value and no result; where huge pages cannot be had, the kernel
//! ignores it.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of at least this many bytes are advised.
const LARGE: usize = 4 << 20;

/// A transparent huge page.
#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

/// The system allocator, advising large blocks to use huge pages.
pub struct HugePages;

/// Asks for huge pages over the whole 2 MiB pages inside `[p, p + len)`.
fn advise(p: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        let start = (p as usize).next_multiple_of(HUGE);
        let end = (p as usize).saturating_add(len) / HUGE * HUGE;
        if end > start {
            // SAFETY: the range lies inside a block just handed out by the
            // system allocator; MADV_HUGEPAGE changes how its pages are
            // backed, never their contents. A failure changes nothing.
            let _ = unsafe {
                rustix::mm::madvise(
                    start as *mut std::ffi::c_void,
                    end - start,
                    rustix::mm::Advice::LinuxHugepage,
                )
            };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (p, len);
}

// SAFETY: every call is passed to `System` unchanged; `advise` only adds a
// hint about a block `System` returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if layout.size() >= LARGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if layout.size() >= LARGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout)
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if new_size >= LARGE && !q.is_null() {
            advise(q, new_size);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks small and large, grown and shrunk, keep their contents.
    #[test]
    fn blocks_keep_their_contents() {
        let a = HugePages;
        for size in [16, LARGE - 1, LARGE, 3 * LARGE + 12345] {
            let layout = Layout::from_size_align(size, 16).unwrap();
            // SAFETY: a non-zero layout; every pointer is checked and freed
            // once with the layout it has.
            unsafe {
                let p = a.alloc(layout);
                assert!(!p.is_null());
                p.write_bytes(0xA5, size);
                let grown = a.realloc(p, layout, size * 2);
                assert!(!grown.is_null());
                assert!((0..size).all(|i| *grown.add(i) == 0xA5), "{size}");
                let shrunk = a.realloc(grown, Layout::from_size_align(size * 2, 16).unwrap(), size);
                assert!((0..size).all(|i| *shrunk.add(i) == 0xA5), "{size}");
                a.dealloc(shrunk, layout);
                let z = a.alloc_zeroed(layout);
                assert!((0..size).all(|i| *z.add(i) == 0), "{size}");
                a.dealloc(z, layout);
            }
        }
    }
}
