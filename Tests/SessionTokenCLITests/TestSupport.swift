import Foundation
import SessionTokenTestSupport

/// The committed next-auth vectors, which `nextauth decode` is run on.
let nextAuthVectors = packageRoot.appendingPathComponent("Tests/Vectors/nextauth")
