package org.foiadiscovery.searchnodes;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The few parts of Elasticsearch's {@code analysis-common} module (not published to Maven Central for 8.x)
 * that FOIA Discovery's index settings use, built on the Lucene classes that the server jar already
 * depends on (lucene-analysis-common), with the same settings and defaults as the module:
 * <ul>
 *   <li>analyzer {@code english}: Lucene's {@link EnglishAnalyzer}; settings {@code stopwords},
 *       {@code stopwords_path}, {@code stem_exclusion};</li>
 *   <li>tokenizer {@code pattern}: {@link PatternTokenizer}; settings {@code pattern} (default {@code \W+}),
 *       {@code flags}, {@code group} (default -1, split);</li>
 *   <li>token filter {@code length}: {@link LengthFilter}; settings {@code min} (0), {@code max};</li>
 *   <li>token filter {@code stemmer}, English only: {@code language} (or {@code name}) {@code english}/
 *       {@code porter} (default), {@code porter2}, {@code light_english}/{@code kstem},
 *       {@code minimal_english}, {@code possessive_english}.</li>
 * </ul>
 * Anything else of analysis-common (other languages, synonyms, ngrams, ...) is absent on this node.
 * The launcher leaves this plugin out with {@code --no-analysis-subset}.
 */
public class CommonAnalysisSubsetPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of("english", EnglishAnalyzerProvider::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("pattern", PatternTokenizerFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of("length", LengthTokenFilterFactory::new, "stemmer", EnglishStemmerTokenFilterFactory::new);
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

    static final class PatternTokenizerFactory extends AbstractTokenizerFactory {
        private final Pattern pattern;
        private final int group;

        PatternTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(indexSettings, settings, name);
            String sPattern = settings.get("pattern", "\\W+");
            if (sPattern == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] tokenizer of type 'pattern'");
            }
            this.pattern = Regex.compile(sPattern, settings.get("flags"));
            this.group = settings.getAsInt("group", -1);
        }

        @Override
        public Tokenizer create() {
            return new PatternTokenizer(pattern, group);
        }
    }

    static final class LengthTokenFilterFactory extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;

        LengthTokenFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            min = settings.getAsInt("min", 0);
            max = settings.getAsInt("max", Integer.MAX_VALUE);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new LengthFilter(tokenStream, min, max);
        }
    }

    static final class EnglishStemmerTokenFilterFactory extends AbstractTokenFilterFactory {
        private final UnaryOperator<TokenStream> stemmer;

        EnglishStemmerTokenFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            super(name, settings);
            String language = settings.get("language", settings.get("name", "porter"));
            stemmer = switch (language.toLowerCase(Locale.ROOT)) {
                case "english", "porter" -> PorterStemFilter::new;
                case "porter2" -> ts -> new SnowballFilter(ts, new EnglishStemmer());
                case "light_english", "lightenglish", "kstem" -> KStemFilter::new;
                case "minimal_english", "minimalenglish" -> EnglishMinimalStemFilter::new;
                case "possessive_english", "possessiveenglish" -> EnglishPossessiveFilter::new;
                default -> throw new IllegalArgumentException("stemmer language [" + language + "] is not available on this"
                    + " node: Elasticsearch's analysis-common module is not published to Maven Central, and the launcher's"
                    + " stand-in only has the English stemmers (english, porter, porter2, light_english, kstem,"
                    + " minimal_english, possessive_english)");
            };
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return stemmer.apply(tokenStream);
        }
    }
}
