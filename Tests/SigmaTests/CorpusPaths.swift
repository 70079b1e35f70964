import Foundation
import TestSupport
import XCTest
@testable import Sigma

/// Paths into the shared corpus (`../shared/corpus` beside the package root) and the project config.
enum CorpusPaths {
    static let packageRoot = BuildProducts.packageRoot
    static let corpus = BuildProducts.corpus
    static let sigmaRules = corpus + "/sigma/rules"
    static let regressionData = corpus + "/sigma/regression_data"
    static let expected = corpus + "/expected/sigma"
    static let mappingFile = packageRoot + "/config/sigma.yml"

    static func requireCorpus() throws {
        guard FileManager.default.fileExists(atPath: sigmaRules) else {
            throw XCTSkip("shared corpus not found at \(corpus)")
        }
    }

    static func mapping() throws -> LogsourceMapping {
        try LogsourceMapping.load(path: mappingFile)
    }
}
