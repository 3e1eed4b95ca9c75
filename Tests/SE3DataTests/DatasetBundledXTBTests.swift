import Foundation
import XCTest
import SE3Data

/// The committed GFN2-xTB set `configs/data/xtb-small/` (made by
/// `MOLECULES=500 CONFORMERS=6 SEED=0 bash launch/make-xtb-data.sh`): valid shards with energy,
/// forces and dipole, and labels that obey what any potential-energy surface of an isolated
/// molecule obeys (forces sum to zero and exert no torque).
final class DatasetBundledXTBTests: XCTestCase {
    var root: String { DatasetTestSupport.repositoryRoot() + "/configs/data/xtb-small" }

    func testBundledXTBSetIsValidAndPhysical() throws {
        var counts: [Int] = []
        for name in ["train", "val", "test"] {
            let ds = try Dataset(path: root + "/" + name)   // full validation
            counts.append(ds.count)
            let byName = Dictionary(uniqueKeysWithValues: ds.targets.map { ($0.name, $0) })
            XCTAssertEqual(Set(byName.keys), ["energy", "forces", "dipole"], name)
            XCTAssertEqual(byName["energy"]?.units, "eV")
            XCTAssertEqual(byName["forces"]?.units, "eV/Å")
            XCTAssertEqual(byName["dipole"]?.units, "e*Å")
            var largestNetForce = 0.0, largestTorque = 0.0
            for s in try ds.read(0..<ds.count) {
                let e = try XCTUnwrap(s.graphTargets["energy"]?.first)
                let perAtom = e / Double(s.atomCount)
                XCTAssertTrue((-100.0 ... -5.0).contains(perAtom), "\(name): \(perAtom) eV per atom")
                let f = try XCTUnwrap(s.atomTargets["forces"])
                XCTAssertEqual(f.count, 3 * s.atomCount)
                XCTAssertTrue(f.allSatisfy(\.isFinite))
                var net = SIMD3<Double>.zero, torque = SIMD3<Double>.zero
                let centre = s.positions.reduce(SIMD3<Double>.zero, +) / Double(s.atomCount)
                for a in 0..<s.atomCount {
                    let fa = SIMD3(f[3 * a], f[3 * a + 1], f[3 * a + 2]), r = s.positions[a] - centre
                    net += fa
                    torque += SIMD3(r.y * fa.z - r.z * fa.y, r.z * fa.x - r.x * fa.z, r.x * fa.y - r.y * fa.x)
                }
                largestNetForce = max(largestNetForce, (net * net).sum().squareRoot())
                largestTorque = max(largestTorque, (torque * torque).sum().squareRoot())
                XCTAssertEqual(s.graphTargets["dipole"]?.count, 3)
            }
            // GFN2-xTB forces are −∂E/∂x of a translation- and rotation-invariant energy
            XCTAssertLessThan(largestNetForce, 1e-4, "\(name): Σ_a F_a")
            XCTAssertLessThan(largestTorque, 1e-3, "\(name): Σ_a r_a × F_a")
        }
        XCTAssertEqual(counts, [2400, 300, 300])
    }
}
