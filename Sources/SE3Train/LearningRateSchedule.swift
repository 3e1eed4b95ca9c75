import Foundation
import SE3Config

/// Learning rate as a function of the optimiser step (and, for `plateau`, of validation history).
///
/// - `cosine`: linear warmup 0 → lr over `warmup` steps, then
///   lr(t) = min_lr + (lr - min_lr) · (1 + cos(π · (t - warmup) / (total - warmup))) / 2.
/// - `plateau`: linear warmup, then lr · factor^k where k counts the epochs in which the validation
///   loss did not improve for `patience` consecutive epochs (each reduction resets the counter);
///   never below min_lr.
/// - `constant`: linear warmup, then lr.
public struct LearningRateSchedule: Codable, Equatable {
    /// `training.schedule`.
    public enum Kind: String, ConfigChoice { case cosine, plateau, constant }

    public var kind: Kind
    public var peak: Double
    public var minLR: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var factor: Double
    public var patience: Int
    /// Plateau state: current multiplier, best validation loss, epochs without improvement.
    public var plateauScale: Double = 1
    public var bestValidation: Double = .infinity
    public var badEpochs: Int = 0

    public init(kind: Kind, peak: Double, minLR: Double, warmupSteps: Int, totalSteps: Int,
                factor: Double = 0.5, patience: Int = 3) {
        self.kind = kind; self.peak = peak; self.minLR = minLR; self.warmupSteps = warmupSteps
        self.totalSteps = max(totalSteps, 1); self.factor = factor; self.patience = patience
    }

    public init(config: OptimizationConfig, totalSteps: Int) {
        self.init(kind: config.schedule, peak: config.lr, minLR: config.minLR, warmupSteps: config.warmupSteps,
                  totalSteps: totalSteps, factor: config.plateauFactor, patience: config.plateauPatience)
    }

    /// Learning rate for 0-based step `step`.
    public func rate(step: Int) -> Double {
        if warmupSteps > 0 && step < warmupSteps {
            return peak * Double(step + 1) / Double(warmupSteps)
        }
        switch kind {
        case .cosine:
            let span = max(totalSteps - warmupSteps, 1)
            let t = min(Double(step - warmupSteps) / Double(span), 1)
            return minLR + (peak - minLR) * (1 + cos(Double.pi * t)) / 2
        case .plateau:
            return max(peak * plateauScale, minLR)
        case .constant:
            return peak
        }
    }

    /// Reports an epoch's validation loss (plateau schedule only; others ignore it).
    public mutating func observe(validationLoss: Double) {
        guard kind == .plateau, validationLoss.isFinite else { return }
        if validationLoss < bestValidation * (1 - 1e-4) {
            bestValidation = validationLoss
            badEpochs = 0
        } else {
            badEpochs += 1
            if badEpochs > patience {
                plateauScale *= factor
                badEpochs = 0
            }
        }
    }
}
