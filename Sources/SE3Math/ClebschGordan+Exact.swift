/// Exact complex Clebsch–Gordan coefficients (Racah formula, Condon–Shortley phase),
/// evaluated with exact integer arithmetic over prime-factorised factorials and rounded once.
enum ExactCG {
    /// Primes up to `n` (sieve).
    static func primes(upTo n: Int) -> [Int] {
        guard n >= 2 else { return [] }
        var isP = [Bool](repeating: true, count: n + 1)
        isP[0] = false; isP[1] = false
        var i = 2
        while i * i <= n {
            if isP[i] { var j = i * i; while j <= n { isP[j] = false; j += i } }
            i += 1
        }
        return (0...n).filter { isP[$0] }
    }

    /// Prime-exponent tables of `n!` for `n ≤ maxN`.
    struct FactorialTable {
        let primes: [Int]
        /// `exps[n][k]` = exponent of `primes[k]` in `n!` (Legendre).
        let exps: [[Int]]
        init(maxN: Int) {
            primes = ExactCG.primes(upTo: max(maxN, 2))
            var e: [[Int]] = []
            for n in 0...maxN {
                e.append(primes.map { p in
                    var s = 0, q = p
                    while q <= n { s += n / q; q *= p }
                    return s
                })
            }
            exps = e
        }
    }

    /// `⟨j1 m1; j2 m2 | J M⟩` with `M = m1 + m2`; zero if any selection rule fails.
    /// Uses the Racah formula
    ///
    ///     C = δ_{M, m1+m2} √[(2J+1) (J+j1−j2)! (J−j1+j2)! (j1+j2−J)! / (j1+j2+J+1)!]
    ///         · √[(J+M)! (J−M)! (j1−m1)! (j1+m1)! (j2−m2)! (j2+m2)!]
    ///         · Σ_k (−1)^k / [k! (j1+j2−J−k)! (j1−m1−k)! (j2+m2−k)! (J−j2+m1+k)! (J−j1−m2+k)!].
    static func complex(_ j1: Int, _ m1: Int, _ j2: Int, _ m2: Int, _ J: Int, _ M: Int, table t: FactorialTable) -> Double {
        guard M == m1 + m2, abs(m1) <= j1, abs(m2) <= j2, abs(M) <= J,
              J >= abs(j1 - j2), J <= j1 + j2, j1 >= 0, j2 >= 0 else { return 0 }
        let np = t.primes.count
        // prefactor exponents (value² = P · S²)
        var P = [Int](repeating: 0, count: np)
        func addF(_ n: Int, _ s: Int) { let e = t.exps[n]; for k in 0..<np { P[k] += s * e[k] } }
        addF(J + j1 - j2, 1); addF(J - j1 + j2, 1); addF(j1 + j2 - J, 1); addF(j1 + j2 + J + 1, -1)
        addF(J + M, 1); addF(J - M, 1); addF(j1 - m1, 1); addF(j1 + m1, 1); addF(j2 - m2, 1); addF(j2 + m2, 1)
        // 2J + 1 factor
        var twoJ1 = 2 * J + 1
        for k in 0..<np { let p = t.primes[k]; while twoJ1 % p == 0 { P[k] += 1; twoJ1 /= p } }

        let kmin = max(0, j2 - J - m1, j1 - J + m2)
        let kmax = min(j1 + j2 - J, j1 - m1, j2 + m2)
        guard kmin <= kmax else { return 0 }
        // denominators of the terms and their lcm exponents
        var dens: [[Int]] = []
        var D = [Int](repeating: 0, count: np)
        for k in kmin...kmax {
            var d = [Int](repeating: 0, count: np)
            for n in [k, j1 + j2 - J - k, j1 - m1 - k, j2 + m2 - k, J - j2 + m1 + k, J - j1 - m2 + k] {
                let e = t.exps[n]
                for q in 0..<np { d[q] += e[q] }
            }
            for q in 0..<np { D[q] = max(D[q], d[q]) }
            dens.append(d)
        }
        var pos = ExactUInt(), neg = ExactUInt()
        for (i, k) in (kmin...kmax).enumerated() {
            var term = ExactUInt(1)
            for q in 0..<np where D[q] > dens[i][q] { term.multiply(byPower: t.primes[q], D[q] - dens[i][q]) }
            if k % 2 == 0 { pos = pos + term } else { neg = neg + term }
        }
        let sign: Double
        let S: ExactUInt
        if pos == neg { return 0 }
        if neg < pos { S = pos - neg; sign = 1 } else { S = neg - pos; sign = -1 }
        // value² = S² · Π p^{P_p − 2 D_p}
        var num = S * S
        var den = ExactUInt(1)
        for q in 0..<np {
            let e = P[q] - 2 * D[q]
            if e > 0 { num.multiply(byPower: t.primes[q], e) } else if e < 0 { den.multiply(byPower: t.primes[q], -e) }
        }
        let (mn, en) = num.doubleParts, (md, ed) = den.doubleParts
        let ratio = Double(sign: .plus, exponent: en - ed, significand: mn / md)
        return sign * ratio.squareRoot()
    }
}
