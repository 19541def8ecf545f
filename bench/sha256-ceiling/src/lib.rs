//! Three ways to run SHA-256's compression function over a buffer in wasm, to find the ceiling
//! of a single stream: the `sha2` crate hubwasm ships, the textbook rounds unrolled by hand, and
//! the message schedule in `simd128` (four words at a time). Exports work on one static buffer
//! so the measurement is the hash alone, not a copy into wasm memory.
#![no_std]

use core::arch::wasm32::*;
use core::ptr::{addr_of, addr_of_mut};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

const BUF_LEN: usize = 4 << 20;
static mut BUF: [u8; BUF_LEN] = [0; BUF_LEN];
static mut STATE: [u32; 8] = [0; 8];

const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

#[no_mangle]
pub extern "C" fn buffer() -> *mut u8 {
    addr_of_mut!(BUF) as *mut u8
}

#[no_mangle]
pub extern "C" fn buffer_len() -> usize {
    BUF_LEN
}

#[no_mangle]
pub extern "C" fn reset() {
    unsafe { *addr_of_mut!(STATE) = H0 }
}

/// Word `i` of the state, to check that all three agree.
#[no_mangle]
pub extern "C" fn state(i: usize) -> u32 {
    unsafe { (*addr_of!(STATE))[i % 8] }
}

fn blocks() -> &'static [[u8; 64]] {
    unsafe { core::slice::from_raw_parts(addr_of!(BUF) as *const [u8; 64], BUF_LEN / 64) }
}

fn state_mut() -> &'static mut [u32; 8] {
    unsafe { &mut *addr_of_mut!(STATE) }
}

/// The whole buffer through `sha2::compress256` (what hubwasm ships).
#[no_mangle]
pub extern "C" fn with_sha2() {
    let b = blocks();
    let b = unsafe { core::slice::from_raw_parts(b.as_ptr() as *const _, b.len()) };
    sha2::compress256(state_mut(), b);
}

/// The 64 rounds on eight named variables, rotated by renaming rather than moving.
macro_rules! rounds {
    ($s:expr, $wk:expr) => {{
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *$s;
        macro_rules! r {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $i:expr) => {{
                let t1 = $h
                    .wrapping_add($e.rotate_right(6) ^ $e.rotate_right(11) ^ $e.rotate_right(25))
                    .wrapping_add($g ^ ($e & ($f ^ $g)))
                    .wrapping_add($wk($i));
                let t2 = ($a.rotate_right(2) ^ $a.rotate_right(13) ^ $a.rotate_right(22))
                    .wrapping_add(($a & $b) | ($c & ($a | $b)));
                $d = $d.wrapping_add(t1);
                $h = t1.wrapping_add(t2);
            }};
        }
        macro_rules! r8 {
            ($i:expr) => {
                r!(a, b, c, d, e, f, g, h, $i);
                r!(h, a, b, c, d, e, f, g, $i + 1);
                r!(g, h, a, b, c, d, e, f, $i + 2);
                r!(f, g, h, a, b, c, d, e, $i + 3);
                r!(e, f, g, h, a, b, c, d, $i + 4);
                r!(d, e, f, g, h, a, b, c, $i + 5);
                r!(c, d, e, f, g, h, a, b, $i + 6);
                r!(b, c, d, e, f, g, h, a, $i + 7);
            };
        }
        r8!(0);
        r8!(8);
        r8!(16);
        r8!(24);
        r8!(32);
        r8!(40);
        r8!(48);
        r8!(56);
        for (x, y) in $s.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *x = x.wrapping_add(y);
        }
    }};
}

/// Textbook rounds, schedule computed on the fly in a 16-word ring.
#[no_mangle]
pub extern "C" fn scalar() {
    let s = state_mut();
    for block in blocks() {
        let mut w = [0u32; 16];
        for (i, word) in w.iter_mut().enumerate() {
            *word = u32::from_be_bytes([
                block[4 * i],
                block[4 * i + 1],
                block[4 * i + 2],
                block[4 * i + 3],
            ]);
        }
        let mut wk = |i: usize| {
            if i >= 16 {
                let (w15, w2) = (w[(i + 1) & 15], w[(i + 14) & 15]);
                let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
                let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
                w[i & 15] = w[i & 15]
                    .wrapping_add(s0)
                    .wrapping_add(w[(i + 9) & 15])
                    .wrapping_add(s1);
            }
            w[i & 15].wrapping_add(K[i])
        };
        rounds!(s, wk);
    }
}

#[inline(always)]
fn rotr(x: v128, n: u32) -> v128 {
    v128_or(u32x4_shr(x, n), u32x4_shl(x, 32 - n))
}

/// The message schedule four words at a time (`simd128`), W + K stored for the scalar rounds.
#[no_mangle]
pub extern "C" fn simd_schedule() {
    let s = state_mut();
    let bswap = |v: v128| {
        i8x16_swizzle(
            v,
            i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12),
        )
    };
    let sig0 = |x: v128| v128_xor(v128_xor(rotr(x, 7), rotr(x, 18)), u32x4_shr(x, 3));
    let sig1 = |x: v128| v128_xor(v128_xor(rotr(x, 17), rotr(x, 19)), u32x4_shr(x, 10));
    for block in blocks() {
        let mut wk = [0u32; 64];
        unsafe {
            let p = block.as_ptr() as *const v128;
            let k = K.as_ptr() as *const v128;
            let out = wk.as_mut_ptr() as *mut v128;
            let mut w = [
                bswap(v128_load(p)),
                bswap(v128_load(p.add(1))),
                bswap(v128_load(p.add(2))),
                bswap(v128_load(p.add(3))),
            ];
            for (j, v) in w.iter().enumerate() {
                v128_store(out.add(j), i32x4_add(*v, v128_load(k.add(j))));
            }
            for j in 4..16 {
                let [v0, v1, v2, v3] = w;
                // W[t-16] + σ0(W[t-15]) + W[t-7], then σ1 of W[t-2], two words at a time.
                let mut x = i32x4_add(
                    i32x4_add(v0, sig0(i32x4_shuffle::<1, 2, 3, 4>(v0, v1))),
                    i32x4_shuffle::<1, 2, 3, 4>(v2, v3),
                );
                let lo = sig1(i32x4_shuffle::<2, 3, 2, 3>(v3, v3));
                x = i32x4_add(x, i32x4_shuffle::<0, 1, 6, 7>(lo, i32x4_splat(0)));
                let hi = sig1(i32x4_shuffle::<0, 0, 0, 1>(x, x));
                x = i32x4_add(x, i32x4_shuffle::<4, 5, 2, 3>(hi, i32x4_splat(0)));
                w = [v1, v2, v3, x];
                v128_store(out.add(j), i32x4_add(x, v128_load(k.add(j))));
            }
        }
        let wk_at = |i: usize| wk[i];
        rounds!(s, wk_at);
    }
}
