// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dossier", targets: ["dossier"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .target(name: "CBytes"),
        .target(name: "DossierCore", dependencies: ["CBytes", .product(name: "Yams", package: "Yams")]),
        .target(name: "DossierMarkdown", dependencies: ["CCmark", "CBytes", "DossierCore", "DossierCite"]),
        .target(name: "DossierTemplates", dependencies: ["DossierCore"]),
        .target(name: "DossierData", dependencies: ["DossierCore"]),
        .target(name: "DossierCite", dependencies: ["DossierCore"]),
        .target(name: "DossierCharts", dependencies: ["DossierCore", "DossierData"]),
        .target(
            name: "DossierSite",
            dependencies: ["DossierCore", "DossierMarkdown", "DossierCite", "DossierTemplates", "DossierData", "DossierCharts"],
            // The site `dossier new site` writes and the PDF edition's layout driver,
            // compiled into the binary.
            resources: ["site.yaml", "index.md", "example-article.md", "example.csv", "example.yaml", "base.html", "article.html",
                        "home.html", "tag.html", "not-found.html", "style.css"].map { .embedInCode("Starter/" + $0) }
                + [.embedInCode("PDF/layout.py")]
        ),
        .target(name: "DossierPreview", dependencies: ["DossierSite", "DossierCore"]),
        .executableTarget(
            name: "dossier",
            dependencies: ["DossierSite", "DossierPreview", "CJemalloc", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "DossierFuzz", dependencies: ["DossierSite", "DossierPreview", "DossierCharts", "DossierCite", "DossierData", "DossierTemplates", "DossierCore"]),
        .executableTarget(name: "dossier-fuzz", dependencies: ["DossierFuzz"]),
        .executableTarget(name: "dossier-bench", dependencies: ["DossierSite", "DossierPreview", "DossierCore", "CJemalloc"]),
        .testTarget(name: "DossierCoreTests", dependencies: ["DossierCore"]),
        .testTarget(name: "DossierMarkdownTests", dependencies: ["DossierMarkdown", "DossierCite", "DossierTestSupport"]),
        .testTarget(name: "DossierTemplatesTests", dependencies: ["DossierTemplates"]),
        .testTarget(name: "DossierDataTests", dependencies: ["DossierData"]),
        .testTarget(name: "DossierCiteTests", dependencies: ["DossierCite", "DossierTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DossierChartsTests", dependencies: ["DossierCharts", "DossierData"], exclude: ["Snapshots"]),
        // What several test targets share (temporary folders removed at exit).
        .target(name: "DossierTestSupport", path: "Tests/DossierTestSupport"),
        .testTarget(name: "DossierSiteTests", dependencies: ["DossierSite", "DossierTemplates", "DossierMarkdown", "DossierTestSupport"],
                    exclude: ["Golden"]),  // read by path, re-recorded with DOSSIER_RECORD=1
        .testTarget(name: "DossierFuzzTests", dependencies: ["DossierFuzz"], exclude: ["Regressions"]),
        .testTarget(name: "DossierPreviewTests", dependencies: ["DossierPreview", "DossierSite", "DossierCore", "DossierTestSupport"]),
    ]
)
