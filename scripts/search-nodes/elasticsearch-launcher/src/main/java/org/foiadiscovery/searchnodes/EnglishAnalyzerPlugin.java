package org.foiadiscovery.searchnodes;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;

/**
 * Registers the {@code english} analyzer, which Elasticsearch ships in its {@code analysis-common} module
 * (not published to Maven Central for 8.x).
 *
 * <p>It is built the way that module builds it: Lucene's {@link EnglishAnalyzer} (standard tokenizer,
 * possessive filter, lowercase, English stop words, keyword marker, Porter stemmer) from
 * lucene-analysis-common, which the server jar already depends on, with the analyzer's
 * {@code stopwords}, {@code stopwords_path} and {@code stem_exclusion} settings. Nothing else from
 * analysis-common (other languages, the {@code stemmer}/{@code lowercase} token filters...) is provided.
 * The launcher leaves this plugin out with {@code --no-english-analyzer}.
 */
public class EnglishAnalyzerPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", EnglishAnalyzerProvider::new);
    }

    static final class EnglishAnalyzerProvider extends AbstractIndexAnalyzerProvider<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        EnglishAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            analyzer = new EnglishAnalyzer(
                Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }
}
