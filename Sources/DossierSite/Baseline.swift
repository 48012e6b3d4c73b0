import DossierCore
import Foundation

/// What `dossier build --changes --baseline URL|DIR` compares a build with: the deployed
/// site's `manifest.json` and its `data/*.json` (fetched, for a URL), or a folder's.
/// A baseline that cannot be read is a warning: the build itself stands.
enum Baseline {
    struct Published: Sendable {
        var manifest: Manifest
        var data: [String: Value]
    }

    /// The baseline at `location` (an `http(s)://` URL or a folder), or why it could not be read.
    static func load(_ location: String) -> Result<Published, FetchFailure> {
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            guard let base = URL(string: location.hasSuffix("/") ? location : location + "/") else { return .failure(FetchFailure(message: "'\(location)' is not a URL", transient: false)) }
            let manifestURL = base.appendingPathComponent(Manifest.fileName)
            let bytes: Data
            switch HTTPFetch.get(manifestURL) {
            case .success(let r) where r.status == 200: bytes = r.body
            case .success(let r): return .failure(FetchFailure(message: "\(manifestURL.absoluteString) answered HTTP \(r.status)", transient: false))
            case .failure(let f): return .failure(FetchFailure(message: "\(manifestURL.absoluteString): \(f.message)", transient: false))
            }
            guard let manifest = Manifest.parse(Array(bytes)) else { return .failure(FetchFailure(message: "\(manifestURL.absoluteString) is not a Dossier manifest", transient: false)) }
            var data: [String: Value] = [:]
            for path in manifest.files.keys.sorted() where path.hasPrefix("data/") && path.hasSuffix(".json") {
                let url = base.appendingPathComponent(path)
                switch HTTPFetch.get(url) {
                case .success(let r) where r.status == 200:
                    guard let text = String(data: r.body, encoding: .utf8), let tree = try? YAMLReader.parse(text, path: url.absoluteString) else {
                        return .failure(FetchFailure(message: "\(url.absoluteString) is not JSON", transient: false))
                    }
                    data[String(path.dropFirst(5).dropLast(5))] = tree.value
                case .success(let r): return .failure(FetchFailure(message: "\(url.absoluteString) answered HTTP \(r.status)", transient: false))
                case .failure(let f): return .failure(FetchFailure(message: "\(url.absoluteString): \(f.message)", transient: false))
                }
            }
            return .success(Published(manifest: manifest, data: data))
        }
        let folder = URL(fileURLWithPath: location, isDirectory: true)
        guard let bytes = FileText.bytes(folder.appendingPathComponent(Manifest.fileName).path) else {
            return .failure(FetchFailure(message: "no \(Manifest.fileName) in \(location)", transient: false))
        }
        guard let manifest = Manifest.parse(bytes) else { return .failure(FetchFailure(message: "\(location)/\(Manifest.fileName) is not a Dossier manifest", transient: false)) }
        return .success(Published(manifest: manifest, data: SiteBuilder.previousDatasets(in: folder, manifest: manifest)))
    }
}
