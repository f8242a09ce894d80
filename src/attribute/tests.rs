//! Unit tests for the attribution rules, one per form, on sentences written for them.

use super::*;

/// (kind, source, cue, content pieces) of each attribution in `text`.
fn run(text: &str) -> Vec<(Kind, Option<String>, String, Vec<String>)> {
    extract_text(text)
        .iter()
        .map(|a| {
            (
                a.kind,
                a.source.map(|s| s.text(text)),
                a.cue.text(text),
                a.content.iter().map(|c| c.text(text)).collect(),
            )
        })
        .collect()
}

fn one(text: &str) -> (Kind, Option<String>, String, Vec<String>) {
    let all = run(text);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().unwrap()
}

#[test]
fn source_said_that() {
    let (k, s, c, x) = one("Kerry said that the talks would resume in May.");
    assert_eq!(k, Kind::Indirect);
    assert_eq!(s.as_deref(), Some("Kerry"));
    assert_eq!(c, "said");
    assert_eq!(x, ["that the talks would resume in May"]);
}

#[test]
fn source_said_without_that() {
    let (_, s, _, x) = one("The minister has also said the plan was dead.");
    assert_eq!(s.as_deref(), Some("The minister"));
    assert_eq!(x, ["the plan was dead"]);
}

#[test]
fn content_then_source_said() {
    let (k, s, _, x) = one("The ceasefire will hold for a week, Kerry said.");
    assert_eq!(k, Kind::Indirect);
    assert_eq!(s.as_deref(), Some("Kerry"));
    assert_eq!(x, ["The ceasefire will hold for a week"]);
}

#[test]
fn inverted_said_source() {
    let (_, s, _, x) = one("The ceasefire will hold for a week, said the envoy.");
    assert_eq!(s.as_deref(), Some("the envoy"));
    assert_eq!(x, ["The ceasefire will hold for a week"]);
}

#[test]
fn told_reporters_that() {
    let (_, s, c, x) = one("Lavrov told reporters on Monday that no deal was near.");
    assert_eq!(s.as_deref(), Some("Lavrov"));
    assert_eq!(c, "told");
    assert_eq!(x, ["that no deal was near"]);
}

#[test]
fn added_and_says() {
    let (_, s, c, x) = one("The mayor added the roads would reopen soon.");
    assert_eq!((s.as_deref(), c.as_str()), (Some("The mayor"), "added"));
    assert_eq!(x, ["the roads would reopen soon"]);
    let (_, s, c, _) = one("She says the vote was rigged.");
    assert_eq!((s.as_deref(), c.as_str()), (Some("She"), "says"));
}

#[test]
fn according_to_first_and_last() {
    let (k, s, c, x) = one("According to the ministry, 40 people died.");
    assert_eq!(k, Kind::AccordingTo);
    assert_eq!(
        (s.as_deref(), c.as_str()),
        (Some("the ministry"), "According to")
    );
    assert_eq!(x, ["40 people died"]);
    let (k, s, _, x) = one("Forty people died in the blast, according to local officials.");
    assert_eq!(k, Kind::AccordingTo);
    assert_eq!(s.as_deref(), Some("local officials"));
    assert_eq!(x, ["Forty people died in the blast"]);
}

#[test]
fn organisation_credit() {
    let (k, s, c, _) = one("AP reported that the convoy had left.");
    assert_eq!(k, Kind::OrganisationCredit);
    assert_eq!((s.as_deref(), c.as_str()), (Some("AP"), "reported"));
    let (k, s, _, _) = one("The Washington Post published the memo in full.");
    assert_eq!(k, Kind::OrganisationCredit);
    assert_eq!(s.as_deref(), Some("The Washington Post"));
    let (k, s, c, _) = one("Arab News reported the talks had stalled.");
    assert_eq!(
        (k, s.as_deref(), c.as_str()),
        (Kind::OrganisationCredit, Some("Arab News"), "reported")
    );
}

#[test]
fn split_quote_is_one_attribution() {
    let text = "“We are close,” Kerry said, “but not there yet.”";
    let (k, s, _, x) = one(text);
    assert_eq!(k, Kind::DirectQuote);
    assert_eq!(s.as_deref(), Some("Kerry"));
    assert_eq!(x, ["“We are close,”", "“but not there yet.”"]);
}

#[test]
fn titled_speaker_and_apposition() {
    let (_, s, _, _) = one("U.S. Secretary of State John Kerry said the talks were useful.");
    assert!(s.as_deref().unwrap().ends_with("John Kerry"), "{s:?}");
    assert_eq!(entity_key(&s.unwrap()), "kerry");
    let (_, s, _, x) = one("Lavrov, Russia's foreign minister, said the offer stood.");
    assert_eq!(s.as_deref(), Some("Lavrov, Russia's foreign minister,"));
    assert_eq!(x, ["the offer stood"]);
}

#[test]
fn passive_forms() {
    let (_, s, c, x) = one("It was reported that the border had closed.");
    assert_eq!(s, None);
    assert_eq!(c, "reported");
    assert_eq!(x, ["that the border had closed"]);
    let (_, s, c, x) = one("The general was quoted as saying the war was over.");
    assert_eq!(s.as_deref(), Some("The general"));
    assert_eq!(c, "was quoted as saying");
    assert_eq!(x, ["the war was over"]);
}

#[test]
fn auxiliaries_belong_to_the_cue() {
    let (_, s, c, _) = one("The senator has repeatedly said the bill is dead.");
    assert_eq!(
        (s.as_deref(), c.as_str()),
        (Some("The senator"), "has repeatedly said")
    );
}

#[test]
fn participle_after_comma_takes_the_clause_subject() {
    let all = run("Kerry left the talks early, saying they were a step forward.");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].1.as_deref(), Some("Kerry"));
    assert_eq!(all[0].2, "saying");
    assert_eq!(all[0].3, ["they were a step forward"]);
}

#[test]
fn sentence_split_after_a_title_is_rejoined() {
    let text = "“We are ready,” Mr. Allen said.";
    let all = extract_text(text);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].source.unwrap().text(text), "Mr. Allen");
    assert_eq!(all[0].content[0].text(text), "“We are ready,”");
}

#[test]
fn colon_introduces_the_next_paragraph_quote() {
    let text = "The governor said:\n\n“We will rebuild.”";
    let all = extract_text(text);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].content[0].text(text), "“We will rebuild.”");
    assert_eq!(all[0].kind, Kind::DirectQuote);
}

#[test]
fn coordinated_verb_shares_the_subject() {
    let all = run("The envoy said the road was open and added that aid would follow.");
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0].3, ["the road was open"]);
    assert_eq!(all[1].1.as_deref(), Some("The envoy"));
    assert_eq!(all[1].2, "added");
    assert_eq!(all[1].3, ["that aid would follow"]);
}

#[test]
fn closing_credit_covers_the_whole_sentence() {
    let text = "The ministry said the border would reopen, AP reported.";
    let all = extract_text(text);
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].kind, Kind::OrganisationCredit);
    assert_eq!(
        all[1].content[0].text(text),
        "The ministry said the border would reopen"
    );
}

#[test]
fn follow_on_quote_belongs_to_previous_speaker() {
    let text = "“We will not leave,” the mayor said.\n\n“This is our home.”\n\nThe rain stopped.";
    let all = extract_text(text);
    assert_eq!(all.len(), 1);
    let texts: Vec<String> = all[0].content.iter().map(|c| c.text(text)).collect();
    assert_eq!(texts, ["“We will not leave,”", "“This is our home.”"]);
}

#[test]
fn mixed_quote_and_mental_state() {
    let (k, _, _, _) = one("Kerry said the talks were “useful” but slow.");
    assert_eq!(k, Kind::Mixed);
    let (k, s, c, _) = one("Clinton believes the bill will pass.");
    assert_eq!(
        (k, s.as_deref(), c.as_str()),
        (Kind::Indirect, Some("Clinton"), "believes")
    );
}

#[test]
fn three_attributions_in_one_sentence() {
    let text =
        "Kerry said the talks would go on, Lavrov said they would not, and AP reported a delay.";
    let all = run(text);
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[0].3, ["the talks would go on"]);
    assert_eq!(all[1].1.as_deref(), Some("Lavrov"));
    assert_eq!(all[1].3, ["they would not"]);
    assert_eq!(all[2].0, Kind::OrganisationCredit);
}

#[test]
fn cue_inside_quote_is_not_a_cue() {
    let text = "“Nobody said it would be easy,” the coach told fans.";
    let all = run(text);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].2, "told");
}

#[test]
fn nouns_are_not_cues() {
    assert!(run("The report was released on Monday.").is_empty());
    assert!(run("His claims of fraud were rejected.").is_empty());
}

#[test]
fn hard_quotes_do_not_panic() {
    for text in [
        "“Unbalanced, he said.",
        "He said ”closing first“ and left.",
        "“Mixed marks,\" she said, 'and more'.",
        "“Outer ‘inner “deep” inner’ outer,” he said.",
        "“A quote\n\nover paragraphs\n\n“that goes on.”",
        "\"",
        "“",
        "said",
        ", said",
    ] {
        for a in extract_text(text) {
            assert!(a.cue.end <= text.chars().count());
        }
    }
}

#[test]
fn quote_over_several_paragraphs_chains() {
    let text = "“The first part runs on,” she said. “And on\n\n“and ends here.”";
    let all = extract_text(text);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].content.len(), 3, "{:?}", all[0].content);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn no_panic_and_spans_in_bounds(text in "(\\PC|[“”\"' ,.\n]|said|told|according to| Kerry){0,60}") {
            let n = text.chars().count();
            for a in extract_text(&text) {
                prop_assert!(a.cue.start < a.cue.end && a.cue.end <= n);
                if let Some(s) = a.source {
                    prop_assert!(s.start < s.end && s.end <= n);
                }
                prop_assert!(!a.content.is_empty());
                for w in a.content.windows(2) {
                    prop_assert!(w[0].end <= w[1].start);
                }
                for c in &a.content {
                    prop_assert!(c.start < c.end && c.end <= n);
                }
            }
        }

        #[test]
        fn byte_offsets_find_the_byte_offset_of_any_char(
            text in "(\\PC|[é€“\u{10348}]){0,60}",
            at in prop::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let (chars, _, bytes, _) = char_vec(&text);
            // The cursor of `byte_of_from` carried across offsets in any order.
            let mut n = 0;
            for i in at {
                let c = i.index(chars.len() + 1);
                let want = text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
                prop_assert_eq!(bytes.byte_of(c), want);
                prop_assert_eq!(bytes.byte_of_from(c, &mut n), want);
            }
        }

        #[test]
        fn char_vec_has_the_chars_and_finds_all_that_matter(
            // Long ASCII runs, to fill whole chunks, with the bytes the chunk test lets
            // through (`#`, `&`) among them.
            text in "([a-z #&\"'\n]{0,40}|\\PC|[“”’é€\u{10348}]){0,30}",
        ) {
            let (chars, matter, _, low) = char_vec(&text);
            prop_assert_eq!(&chars, &text.chars().collect::<Vec<_>>());
            let want: Vec<u8> = chars.iter().map(|&c| low_byte(c)).collect();
            prop_assert_eq!(low.as_bytes(), &want[..]);
            let want: Vec<usize> = (0..chars.len()).filter(|&i| quotes::may_matter(chars[i])).collect();
            prop_assert_eq!(matter, want);
        }

        #[test]
        fn marks_found_among_the_chars_that_matter_are_all_the_marks(
            text in "(\\PC|[“”„‟«»\"' \n]|''){0,40}",
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let (chars, matter, _, _) = char_vec(&text);
            let (a, b) = (a.index(chars.len() + 1), b.index(chars.len() + 1));
            let span = Span { start: a.min(b), end: a.max(b) };
            let want = (span.start..span.end).any(|c| quotes::mark_at(&chars, c).is_some());
            prop_assert_eq!(has_mark(&chars, &matter, span), want);
        }

        #[test]
        fn tokens_in_quotes_as_a_region_search_finds_them(
            text in "(\\PC|[“”„«»\"' ,.\n]|''|said| Kerry){0,60}",
        ) {
            let (chars, _, _, low) = char_vec(&text);
            let regions = quotes::regions(&chars);
            for (start, end) in units(&chars, &crate::segment::segment(&text)) {
                let mut buf = Vec::new();
                for t in tokenize(&chars, &low, start, end, &regions, &mut buf) {
                    let want = region_of(&regions, t.s).is_some_and(|r| r.start < t.s);
                    prop_assert_eq!(t.in_quote, want);
                }
            }
        }
    }
}

#[test]
fn governed_preposition_is_part_of_the_cue() {
    let (_, s, c, x) = one("The mayor called for a review of the bridge contracts.");
    assert_eq!(s.as_deref(), Some("The mayor"));
    assert_eq!(c, "called for");
    assert_eq!(x, ["a review of the bridge contracts"]);
}

#[test]
fn said_of_topic_is_not_content() {
    let (_, s, c, x) = one("Ms. Ortiz said of the budget, “It is a mess.”");
    assert_eq!(s.as_deref(), Some("Ms. Ortiz"));
    assert_eq!(c, "said of");
    assert_eq!(x, ["“It is a mess.”"]);
}

#[test]
fn about_a_number_is_not_a_topic() {
    let (_, _, c, _) = one("The clerk said about 40 ballots were missing.");
    assert_eq!(c, "said");
}

#[test]
fn medium_is_part_of_the_cue() {
    let (_, s, c, x) = one("The council said in a statement that the vote would go ahead.");
    assert_eq!(s.as_deref(), Some("The council"));
    assert_eq!(c, "said in a statement");
    assert_eq!(x, ["that the vote would go ahead"]);
    let (_, _, c, _) = one("Moreno wrote on Twitter that she would not run.");
    assert_eq!(c, "wrote on Twitter");
}

#[test]
fn occasion_is_not_part_of_the_cue() {
    let (_, _, c, _) = one("Moreno said in an interview that she would not run.");
    assert_eq!(c, "said");
}

#[test]
fn colon_after_cue_is_part_of_the_cue() {
    let text = "The coach said:\n\n“We play to win.”";
    let (_, s, c, x) = one(text);
    assert_eq!(s.as_deref(), Some("The coach"));
    assert_eq!(c, "said:");
    assert_eq!(x, ["“We play to win.”"]);
}

#[test]
fn time_adjunct_between_source_and_cue() {
    let (_, s, c, x) = one("Governor Alma Reyes on Friday said the dam was safe.");
    assert_eq!(s.as_deref(), Some("Governor Alma Reyes"));
    assert_eq!(c, "said");
    assert_eq!(x, ["the dam was safe"]);
    let (_, s, c, _) = one("The union last week also warned that talks could fail.");
    assert_eq!(s.as_deref(), Some("The union"));
    assert_eq!(c, "also warned");
}

#[test]
fn apposition_with_age_and_possessive() {
    let (_, s, _, _) = one("Dana Fox, 34, a nurse from Reno, said she would vote early.");
    assert_eq!(s.as_deref(), Some("Dana Fox, 34, a nurse from Reno,"));
    let (_, s, _, _) = one("Ali Khan, Ortiz’ campaign manager, said the money was raised.");
    assert_eq!(s.as_deref(), Some("Ali Khan, Ortiz’ campaign manager,"));
}

#[test]
fn in_a_poll_attributes_the_rest() {
    let (k, s, c, x) =
        one("In a Harbor Institute poll released Monday, 41 percent backed the levy.");
    assert_eq!(k, Kind::AccordingTo);
    assert_eq!(
        s.as_deref(),
        Some("a Harbor Institute poll released Monday")
    );
    assert_eq!(c, "In");
    assert_eq!(x, ["41 percent backed the levy"]);
}

#[test]
fn in_other_words_is_no_attribution() {
    assert!(run("In other words, the levy failed.").is_empty());
    // A cue verb later in the sentence gives the attribution instead.
    let (_, s, c, _) = one("In a statement, the senator denied that she knew.");
    assert_eq!(s.as_deref(), Some("the senator"));
    assert_eq!(c, "denied");
}

#[test]
fn colon_headline_attribution() {
    let (_, s, c, x) = one("Senator Vale: Our ports need new cranes");
    assert_eq!(s.as_deref(), Some("Senator Vale"));
    assert_eq!(c, ":");
    assert_eq!(x, ["Our ports need new cranes"]);
}

#[test]
fn colon_labels_and_tallies_are_no_attribution() {
    assert!(run("Update: The road has reopened to traffic.").is_empty());
    assert!(run("Editor’s Note: This story has been corrected twice.").is_empty());
    assert!(run("Vale: 1,204.").is_empty());
}

#[test]
fn noun_cue_before_a_verb_is_a_noun() {
    assert!(run("The Geneva talks will resume after the holiday.").is_empty());
    assert!(run("Syria talks broke down on Monday.").is_empty());
    assert!(run("Ceasefire talks between the two sides began on Friday.").is_empty());
    assert!(!run("Kerry talks about the deal every week, officials said.").is_empty());
}

#[test]
fn naming_with_called_is_not_speech() {
    let r = run("She founded a charity called Open Doors in 2009.");
    assert!(r.is_empty(), "{r:?}");
    assert!(run("They voted down what they called a reckless plan.").is_empty());
}

#[test]
fn dateline_colon_is_no_attribution() {
    assert!(
        run("PORTVILLE: Repairs on the harbor wall began on Monday.")
            .iter()
            .all(|a| a.2 != ":")
    );
}

#[test]
fn stance_verbs_from_the_lexicon() {
    let (_, s, c, x) = one("The governor defended the new toll on Monday.");
    assert_eq!(s.as_deref(), Some("The governor"));
    assert_eq!(c, "defended");
    assert_eq!(x, ["the new toll on Monday"]);
}

#[test]
fn continued_takes_only_quotations() {
    let (k, s, c, _) = one("“We are not done,” the coach continued.");
    assert_eq!(k, Kind::DirectQuote);
    assert_eq!(s.as_deref(), Some("the coach"));
    assert_eq!(c, "continued");
    assert!(run("The coach continued to argue with the referee.").is_empty());
}

#[test]
fn claim_noun_is_a_clear_subject() {
    let (_, s, c, x) = one("A new survey shows most drivers want lower tolls.");
    assert_eq!(s.as_deref(), Some("A new survey"));
    assert_eq!(c, "shows");
    assert_eq!(x, ["most drivers want lower tolls"]);
}

#[test]
fn asked_clause_without_source() {
    let all =
        run("Asked whether the toll would rise, the governor said no decision had been made.");
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0].1, None);
    assert_eq!(all[0].2, "Asked");
    assert_eq!(all[0].3, ["whether the toll would rise"]);
    assert_eq!(all[1].1.as_deref(), Some("the governor"));
    assert_eq!(all[1].3, ["no decision had been made"]);
}

#[test]
fn relative_pronoun_source_keeps_its_antecedent() {
    let text = "The new mayor, who said the budget was tight, cut two programs.";
    let all = extract_text(text);
    let a = all
        .iter()
        .find(|a| a.cue.text(text) == "said")
        .expect("said");
    assert_eq!(a.source.map(|s| s.text(text)).as_deref(), Some("who"));
    assert_eq!(
        a.antecedent.map(|s| s.text(text)).as_deref(),
        Some("The new mayor")
    );
    let (_, s, _, _) = one("Kerry said the talks would resume.");
    assert_eq!(s.as_deref(), Some("Kerry"));
    assert!(
        extract_text("Kerry said the talks would resume.")[0]
            .antecedent
            .is_none()
    );
}

#[test]
fn relative_clause_content_ends_at_its_comma() {
    let all = run("The minister, who said the talks had failed, left Geneva on Monday.");
    assert_eq!(all.len(), 1);
    let (_, _, _, content) = &all[0];
    assert_eq!(content, &["the talks had failed"]);
}

#[test]
fn a_shared_cache_changes_nothing() {
    // Sentences repeated across documents, next to quotes that pair differently in each.
    let texts = [
        "“We will go,” Kerry said. The talks failed, officials said.\n\
         Kerry said: “It is over.”\n“More to come.”\nThe talks failed, officials said.",
        "The talks failed, officials said. “We will go,” Kerry said.\n\
         Kerry said:\n“It is over.” The talks failed, officials said.",
        "“The talks failed, officials said. “We will go,” Kerry said.\n\
         Asked whether it worked, he said no. The talks failed, officials said.",
        // Sentences next to a quotation they take, elsewhere next to none.
        "The talks failed.\nKerry asked.\nOfficials met. Kerry said:\nNothing more.",
        "“Will it work?”\nKerry asked.\nOfficials met. Kerry said:\n“Nothing more.”",
        // Quotations running over several sentences, with the same runs in other places.
        "“We will go. We will win,” Kerry said. The talks failed, officials said.",
        "Officials met. “We will go. We will win,” Kerry said. The talks failed.",
        "“We will go. We will win,” Kerry said:\n“More to come.” The talks failed.",
        "He said: “We will go. We will win,” Kerry said. “Never.”",
        "“We will go. We will win, Kerry said.\nThe talks failed, officials said.",
        "The talks failed. “We will go. We will win,” Kerry said. The talks failed.",
        "Kerry said. “We will go. We will win,” Kerry said. Kerry said:",
        "“We will go. We will win,” Kerry said. Kerry said: “We will go. We will win,” Kerry said.",
    ];
    let mut cache = UnitCache::default();
    for _ in 0..2 {
        for text in texts {
            let sentences = crate::segment::segment(text);
            assert_eq!(
                extract_cached(text, &sentences, &mut cache),
                extract(text, &sentences),
                "{text}"
            );
        }
    }
    let mut cache = UnitCache::default();
    let dirs = ["ceasefire-talks", "port-strike", "budget-vote", "wildfire"];
    for file in fixture_files(&dirs) {
        let text = std::fs::read_to_string(&file).unwrap();
        let sentences = crate::segment::segment(&text);
        assert_eq!(
            extract_cached(&text, &sentences, &mut cache),
            extract(&text, &sentences),
            "{}",
            file.display()
        );
    }
}

/// Units alike but for a word in mid-sentence of the same length (a table's rows) get
/// hashes of their own, and each gets its own attributions.
#[test]
fn units_alike_but_mid_sentence_keep_their_own_attributions() {
    let texts = [
        "Kerry said that Geneva's talks had ended without any deal at all by last week.",
        "Kerry said that Berlin's talks had ended without any deal at all by last week.",
        "Officials said in Geneva that the talks had ended without any deal at all, Kerry said.",
        "Officials said in Berlin that the talks had ended without any deal at all, Kerry said.",
    ];
    for pair in texts.chunks(2) {
        let (a, b) = (pair[0].as_bytes(), pair[1].as_bytes());
        assert_ne!(a, b);
        assert_ne!(key_hash(a), key_hash(b), "{}", pair[0]);
    }
    let mut cache = UnitCache::default();
    for text in texts.iter().chain(&texts) {
        let sentences = crate::segment::segment(text);
        assert_eq!(
            extract_cached(text, &sentences, &mut cache),
            extract(text, &sentences),
            "{text}"
        );
    }
    assert_eq!(cache.0.len(), texts.len());
}

/// Every file of the fixture stories `dirs`, story by story, sorted within each.
fn fixture_files(dirs: &[&str]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(dir);
        let mut files: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// The fixture texts, each with its variants: one sentence at a time reworded at its start
/// or its end, lengthened, shortened, or with its quotation marks changed, so that the
/// sentences around it recur next to quotations of other lengths and shapes.
fn fixture_variants() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let dirs = [
        "ceasefire-talks",
        "port-strike",
        "budget-vote",
        "wildfire",
        "bridge-closure",
    ];
    let texts = fixture_files(&dirs)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"));
    for file in texts {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut versions = vec![text.clone()];
        for s in crate::segment::segment(&text) {
            let (a, b) = (s.byte_start, s.byte_end);
            let sentence = &text[a..b];
            let reworded = [
                format!("Indeed, {sentence}"),
                sentence.replacen(' ', " really ", 1),
                sentence
                    .split_once(' ')
                    .map_or(String::new(), |x| x.1.to_string()),
                sentence.replace(['“', '”'], "\""),
                sentence.replace(['“', '”', '"'], ""),
                format!("{}:", sentence.trim_end_matches(['.', ' '])),
                format!("“{sentence}"),
                format!("{sentence}”"),
            ];
            for r in reworded {
                versions.push(format!("{}{r}{}", &text[..a], &text[b..]));
            }
        }
        out.push(versions);
    }
    out
}

#[test]
fn a_cache_shared_by_variants_changes_nothing() {
    let mut checked = 0;
    for versions in fixture_variants() {
        // One cache per text and its variants, as `compare` has one per story.
        let mut cache = UnitCache::default();
        for text in &versions {
            let sentences = crate::segment::segment(text);
            let want = extract(text, &sentences);
            assert_eq!(extract_cached(text, &sentences, &mut cache), want, "{text}");
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

mod shared_cache_props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of sentences: quotations left open or closed across sentence ends, a
    /// closing `said:`, a quote split from its `Kerry asked.`, doubled straight quotes,
    /// and plain attributions.
    const PIECES: &[&str] = &[
        "“We will go.",
        "We will win,” Kerry said.",
        "“Will it work?”",
        "Kerry asked.",
        "Kerry said:",
        "“It is over.”",
        "The talks failed, officials said.",
        "He said the plan was bad''",
        "'' today.",
        "“The deal is done,” said Lavrov, “and we are glad.”",
        "According to AP, the talks ended.",
        "“Never,”",
        "Officials met.",
        "The minister, who said the talks had failed, left.",
        "”",
        "\"Straight, he said.",
        "Mr.",
        "Kerry said the talks were “useful.”",
        "Kerry said “we will go",
        "“Talks",
        "end,” he said:",
    ];

    fn piece() -> impl Strategy<Value = String> {
        (
            0..PIECES.len(),
            prop::sample::select(vec!["", " again", " in Geneva", "''", "\""]),
            prop::sample::select(vec![" ", "\n", "", "  ", " \n", "\n\n", ".\n"]),
        )
            .prop_map(|(i, extra, sep)| {
                let p = PIECES[i];
                let at = p.rfind(|c: char| c.is_alphanumeric()).map_or(0, |k| k + 1);
                format!("{}{extra}{}{sep}", &p[..at], &p[at..])
            })
    }

    /// [`frames`] as it was before it turned most words away up front: every word
    /// outside quotes goes through the rules.
    fn frames_trying_every_word(toks: &[Tok]) -> Vec<Frame> {
        let mut out = Vec::new();
        frames_from::<false>(toks, &mut out);
        out
    }

    /// [`frames`] into a new vector.
    fn frames_of(toks: &[Tok]) -> Vec<Frame> {
        // A frame left from another sentence, which [`frames`] must clear away.
        let mut out = vec![Frame {
            cue: (9, 9),
            source: None,
            according: false,
            object: false,
            first: 9,
            after: 9,
        }];
        frames(toks, &mut out);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn frames_skip_only_words_no_rule_takes(
            pieces in prop::collection::vec(piece(), 1..9),
        ) {
            let text = pieces.concat();
            let chars: Vec<char> = text.chars().collect();
            let regions = quotes::regions_at(&chars, 0..chars.len());
            let (_, _, _, low) = char_vec(&text);
            let mut buf = Vec::new();
            let toks = tokenize(&chars, &low, 0, chars.len(), &regions, &mut buf);
            // The up-front test, against the one the rules' loop once made of each token.
            for (k, t) in toks.iter().enumerate() {
                let skipped = !t.word()
                    || t.in_quote
                    || k > 0
                        && (t.cap || lexicon::lookup(t.lower).is_none())
                        && !t.is("according");
                prop_assert_eq!(may_start_frame::<true>(lexicon::verbs(), t, k == 0), !skipped);
            }
            let key = |f: &Frame| (f.cue, f.source, f.according, f.object, f.first, f.after);
            prop_assert_eq!(
                frames_of(&toks).iter().map(key).collect::<Vec<_>>(),
                frames_trying_every_word(&toks).iter().map(key).collect::<Vec<_>>()
            );
        }

        #[test]
        fn versions_sharing_a_cache_get_what_they_get_alone(
            base in prop::collection::vec(piece(), 1..9),
            edits in prop::collection::vec((any::<prop::sample::Index>(), piece()), 1..6),
        ) {
            let mut versions = vec![base.clone()];
            for (at, p) in edits {
                let mut v = base.clone();
                let i = at.index(v.len());
                v[i] = p;
                versions.push(v);
            }
            let mut cache = UnitCache::default();
            for v in versions.iter().chain(&versions) {
                let text = v.concat();
                let sentences = crate::segment::segment(&text);
                prop_assert_eq!(
                    extract_cached(&text, &sentences, &mut cache),
                    extract(&text, &sentences),
                    "{:?}",
                    text
                );
            }
        }

        /// Windows of any size, from a few bytes to all of the text, find what one
        /// window over all of it finds, alone and sharing a cache.
        #[test]
        fn windows_find_what_one_window_finds(
            pieces in prop::collection::vec(piece(), 1..16),
            window in 0usize..120,
        ) {
            let text = pieces.concat();
            let sentences = crate::segment::segment(&text);
            let whole = extract_windows(&text, &sentences, None, None);
            prop_assert!(whole.is_some());
            prop_assert_eq!(&extract_windows(&text, &sentences, None, Some(window)), &whole);
            let mut cache = UnitCache::default();
            for _ in 0..2 {
                prop_assert_eq!(
                    &extract_windows(&text, &sentences, Some(&mut cache), Some(window)),
                    &whole
                );
            }
            // Sentences out of order: no windows, and what one window finds.
            let mut shuffled = sentences.clone();
            shuffled.reverse();
            let one = extract_windows(&text, &shuffled, None, None);
            prop_assert!(one.is_some());
            let windowed = extract_windows(&text, &shuffled, None, Some(window));
            prop_assert!(windowed.is_none() || windowed == one);
            prop_assert_eq!(extract(&text, &shuffled), one.unwrap_or_default());
        }

        /// The surroundings of units asked in document order (as `extract_with` asks
        /// them) and then backwards, sharing one cursor, against searching every region.
        #[test]
        fn a_cursor_over_the_regions_finds_what_searching_them_finds(
            pieces in prop::collection::vec(piece(), 1..12),
        ) {
            let text = pieces.concat();
            let (chars, matter, _, _) = char_vec(&text);
            let regions = quotes::regions_at(&chars, matter.iter().copied());
            let units = units(&chars, &crate::segment::segment(&text));
            let mut cursor = Cursor::default();
            for &(start, end) in units.iter().chain(units.iter().rev()) {
                prop_assert_eq!(
                    format!("{:?}", Around::at(&chars, &regions, start, end, &mut cursor)),
                    format!("{:?}", Around::new(&chars, &regions, start, end))
                );
            }
        }
    }
}

#[test]
fn all_or_none_collects_as_option_does() {
    let half = |x: &u32| x.is_multiple_of(2).then_some(x / 2);
    for list in [&[][..], &[2], &[2, 4, 8], &[2, 3], &[1], &[4, 6, 7]] {
        let want: Option<Vec<u32>> = list.iter().map(half).collect();
        assert_eq!(all_or_none(list, half), want, "{list:?}");
    }
}

#[test]
fn recycled_tokens_leave_an_empty_vector() {
    let text = "Kerry said the talks would resume.";
    let (chars, _, _, low) = char_vec(text);
    let mut buf = Vec::new();
    let toks = tokenize(&chars, &low, 0, chars.len(), &[], &mut buf);
    assert!(!toks.is_empty());
    let spare = recycle(toks);
    assert!(spare.is_empty());
    let mut again = Vec::new();
    let toks = tokenize_into(spare, &chars, &low, 0, chars.len(), &[], &mut again);
    let mut fresh = Vec::new();
    let want = tokenize(&chars, &low, 0, chars.len(), &[], &mut fresh);
    assert_eq!(
        toks.iter().map(|t| (t.s, t.e, t.lower)).collect::<Vec<_>>(),
        want.iter().map(|t| (t.s, t.e, t.lower)).collect::<Vec<_>>()
    );
}

#[test]
fn a_shared_cache_tells_a_doubled_quote_after_a_run() {
    // The same first sentence, followed by `'` (which makes its last `'` a quote mark,
    // and its content quoted) and by a space or a line break.
    let texts = [
        "Kerry said the plan was bad'' today.",
        "Kerry said the plan was bad' today.",
        "Kerry said the plan was bad'\ntoday.",
        "Kerry said the plan was bad'' today.",
    ];
    let split = |text: &str| {
        let cut = "Kerry said the plan was bad'".len();
        [(0, cut), (cut, text.len())]
            .into_iter()
            .map(|(a, b)| crate::segment::Sentence {
                text: text[a..b].to_string(),
                start: a,
                end: b,
                byte_start: a,
                byte_end: b,
                paragraph: 0,
            })
            .collect::<Vec<_>>()
    };
    let mut cache = UnitCache::default();
    let mut quoted = Vec::new();
    for text in texts {
        let sentences = split(text);
        let found = extract_cached(text, &sentences, &mut cache);
        assert_eq!(found, extract(text, &sentences), "{text}");
        quoted.push(found.first().map(|a| a.quoted));
    }
    assert_eq!(quoted, [Some(true), Some(false), Some(false), Some(true)]);
}

/// `text` as sentences cut at the char offsets `cuts`, all in one paragraph.
fn cut(text: &str, cuts: &[usize]) -> Vec<crate::segment::Sentence> {
    let n = text.chars().count();
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let ends: Vec<usize> = std::iter::once(0)
        .chain(cuts.iter().copied())
        .chain(std::iter::once(n))
        .collect();
    ends.windows(2)
        .map(|w| crate::segment::Sentence {
            text: text[byte(w[0])..byte(w[1])].to_string(),
            start: w[0],
            end: w[1],
            byte_start: byte(w[0]),
            byte_end: byte(w[1]),
            paragraph: 0,
        })
        .collect()
}

#[test]
fn a_shared_cache_tells_where_quotes_outside_a_sentence_end() {
    // Pairs whose second sentence (or first) is the same and reads a quotation outside
    // it: one touching it, one a space away or running on past it.
    let pairs: [[(&str, usize); 2]; 5] = [
        // `Kerry asked.` right after the quote it takes, and after a space.
        [
            ("“Will it work?”Kerry asked.", 15),
            ("“Will it work?” Kerry asked.", 16),
        ],
        // `Kerry said:` right before the quote it takes, and before a space.
        [
            ("Kerry said:“It is over.”", 11),
            ("Kerry said: “It is over.”", 11),
        ],
        // A quote left open that ends with the sentence, and one that runs on.
        [
            ("Kerry said “we will go\nThe talks failed.", 22),
            ("Kerry said “we will go and win,” he said.", 22),
        ],
        [
            ("Kerry said “we will go\nThe talks failed.", 22),
            ("Kerry said “we will go and win\nThe end.", 22),
        ],
        // A closed quote before `Kerry asked.`, and one left open.
        [
            ("“Will it work?”\nKerry asked.", 16),
            ("“Will it work?\nKerry asked.", 15),
        ],
    ];
    for pair in pairs {
        for order in [[0, 1], [1, 0]] {
            let mut cache = UnitCache::default();
            for i in order {
                let (text, at) = pair[i];
                let sentences = cut(text, &[at]);
                let found = extract_cached(text, &sentences, &mut cache);
                assert_eq!(found, extract(text, &sentences), "{text}");
                assert!(i == 1 || !found.is_empty(), "{text}");
            }
        }
    }
}

/// What [`push_lower`] writes after `x` for `word`, and what it returns, next to what
/// they should be.
fn lower_both_ways(word: &str) -> ((String, bool), (String, bool)) {
    let chars: Vec<char> = word.chars().collect();
    let mut buf = b"x".to_vec();
    let acronym = push_lower(&chars, &mut buf);
    let got = String::from_utf8(buf[1..].to_vec()).expect("UTF-8");
    let want = word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !word.chars().any(char::is_lowercase);
    (
        (got, acronym),
        (word.to_lowercase().replace('’', "'"), want),
    )
}

#[test]
fn own_lower_is_push_lower() {
    for c in [
        '“', '”', '„', '‟', '«', '»', '‘', '—', '–', '…', '’', 'É', 'a', '"',
    ] {
        let mut buf = Vec::new();
        let acronym = push_lower(&[c], &mut buf);
        if let Some(lower) = own_lower(c) {
            assert_eq!(lower.as_bytes(), &buf[..], "{c}");
            assert!(!acronym, "{c}");
        } else {
            assert!(!matches!(c, '“' | '”' | '—'), "{c}");
        }
    }
}

#[test]
fn token_lower_case_matches_str_to_lowercase() {
    for word in [
        "Kerry",
        "U.S.",
        "Sanders’s",
        "ΟΔΥΣΣΕΥΣ",
        "Σ",
        "İstanbul",
        "\u{212A}y",
        "Straße",
        "ÉLYSÉE",
        "n’t",
        "’",
        "”",
        "CNN",
        "A",
        "US",
        "",
    ] {
        let (got, want) = lower_both_ways(word);
        assert_eq!(got, want, "{word}");
    }
}

#[test]
fn alphanumeric_shortcut_agrees_with_char() {
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        // `push_lower` writes these as they are, counting no letter.
        if is_general_punctuation(c) {
            assert!(!c.is_alphabetic() && !c.is_lowercase(), "{c:?}");
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
        // `tokenize` takes an ASCII letter or digit for a word before asking whether it
        // is a space or a quote mark: it is neither.
        if c.is_ascii_alphanumeric() {
            assert!(!c.is_whitespace() && quotes::mark_at(&[c, '\''], 0).is_none());
        }
    }
}

/// Whether `word` lower-cased is in `list`, comparing it with each word.
fn in_list_one_by_one(list: &[&str], word: &str) -> bool {
    list.contains(&word.to_ascii_lowercase().as_str()) && word.is_ascii()
}

#[test]
fn packed_lists_hold_their_words_in_any_case() {
    for (list, keys) in [
        (TITLE_ABBREVIATIONS, &TITLE_KEYS[..]),
        (ABBREVIATIONS, &ABBREVIATION_KEYS[..]),
    ] {
        assert_eq!(keys.len(), list.len());
        for word in list {
            for w in [
                word.to_string(),
                word.to_uppercase(),
                word[..1].to_uppercase() + &word[1..],
            ] {
                let chars: Vec<char> = w.chars().collect();
                assert!(in_packed(keys, &chars), "{w}");
                let longer: Vec<char> = w.chars().chain(['s']).collect();
                assert_eq!(
                    in_packed(keys, &longer),
                    in_list_one_by_one(list, &(w.clone() + "s"))
                );
                assert!(
                    !in_packed(keys, &chars[1..]) || list.contains(&&word[1..]),
                    "{w}"
                );
            }
        }
        assert!(!in_packed(keys, &[]));
    }
}

proptest::proptest! {
    /// [`partition_from`], resumed from each answer in turn, against a binary search of
    /// all the items, for queries in any order (ascending ones walk forward).
    #[test]
    fn partition_from_is_partition_point(
        mut items in proptest::collection::vec(0usize..40, 0..24),
        queries in proptest::collection::vec(0usize..45, 0..12),
    ) {
        items.sort();
        let mut at = 0;
        for q in queries {
            let want = items.partition_point(|&x| x <= q);
            proptest::prop_assert_eq!(partition_from(&items, &mut at, |&x| x <= q), want);
            proptest::prop_assert_eq!(at, want);
        }
    }
}

mod lower_props {
    use super::*;
    use proptest::prelude::*;

    /// Every byte at every place of a chunk, after letters and digits.
    #[test]
    fn alnum_run_end_stops_at_every_byte_where_a_look_up_does() {
        for b in 0..=u8::MAX {
            for at in 0..12 {
                let mut low = b"a0zZ9Aqm5xyB".to_vec();
                low[at] = b;
                for j in [0, at.saturating_sub(1), at] {
                    assert_eq!(
                        alnum_run_end(&low, j),
                        alnum_run_end_by_bytes(&low, j),
                        "{b} at {at} from {j}"
                    );
                }
            }
        }
    }

    /// [`scan_word`] at each ASCII letter or digit of `text` against [`word_end`] and
    /// [`push_lower`]: the same end, and a plain word's [`low_byte`]s are its lower case.
    fn scan_word_agrees(text: &str) -> Result<(), TestCaseError> {
        let unit: Vec<char> = text.chars().collect();
        let low: Vec<u8> = unit.iter().map(|&c| low_byte(c)).collect();
        for i in (0..unit.len()).filter(|&i| unit[i].is_ascii_alphanumeric()) {
            let (end, plain) = scan_word(&unit, &low, i);
            prop_assert_eq!(end, word_end(&unit, i));
            let mut want = Vec::new();
            push_lower(&unit[i..end], &mut want);
            let ascii = unit[i..end].iter().all(|&c| c.is_ascii() || c == '’');
            prop_assert_eq!(plain, ascii);
            if plain {
                prop_assert_eq!(&low[i..end], &want[..]);
                prop_assert_eq!(
                    is_plain_acronym(&unit[i..end]),
                    push_lower(&unit[i..end], &mut Vec::new())
                );
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn packed_lists_answer_as_comparing_each_word(word in "([a-zA-Z.\0]|\\PC){0,9}") {
            let chars: Vec<char> = word.chars().collect();
            for (list, keys) in [
                (TITLE_ABBREVIATIONS, &TITLE_KEYS[..]),
                (ABBREVIATIONS, &ABBREVIATION_KEYS[..]),
            ] {
                prop_assert_eq!(in_packed(keys, &chars), in_list_one_by_one(list, &word));
            }
        }

        /// Any bytes, letters and digits most (runs longer than eight among them).
        #[test]
        fn alnum_run_end_is_one_byte_at_a_time(
            low in proptest::collection::vec(
                prop_oneof![4 => proptest::sample::select(&b"az09AZ"[..]), 1 => any::<u8>()],
                0..40,
            ),
        ) {
            for j in 0..=low.len() + 1 {
                prop_assert_eq!(alnum_run_end(&low, j), alnum_run_end_by_bytes(&low, j));
            }
        }

        #[test]
        fn scan_word_is_word_end_then_push_lower(
            text in "([A-Za-z0-9.'&’ -]|\\PC|[ΣσİK\u{212A}ßé—]|Sen|Mr|U\\.S){0,16}",
        ) {
            scan_word_agrees(&text)?;
        }

        /// Words of ASCII and `’` only, which [`scan_word`] answers itself; \PC above
        /// seldom leaves such a word alone.
        #[test]
        fn scan_word_is_word_end_then_push_lower_on_plain_words(
            text in "([A-Za-z0-9.'&’ -]|US|CNN|A1|N’T|Sen|U\\.S){0,12}",
        ) {
            scan_word_agrees(&text)?;
        }

        /// Tokens borrowing their lower case from [`char_vec`]'s get what
        /// [`push_lower`] gives for their chars, as those written one by one do.
        #[test]
        fn tokens_are_lower_cased_as_push_lower_does(
            text in "([A-Za-z0-9.,'&’“”\" -]|\\PC|[ΣσİK\u{212A}ßé—]|Sen\\.|U\\.S\\.|CNN){0,24}",
            cut in any::<prop::sample::Index>(),
        ) {
            let (chars, _, _, low) = char_vec(&text);
            let regions = quotes::regions_at(&chars, 0..chars.len());
            let start = cut.index(chars.len() + 1);
            let mut buf = Vec::new();
            for t in tokenize(&chars, &low, start, chars.len(), &regions, &mut buf) {
                let mut want = Vec::new();
                let acronym = push_lower(&chars[t.s..t.e], &mut want);
                prop_assert_eq!(t.lower.as_bytes(), &want[..]);
                prop_assert_eq!(t.acronym, acronym);
            }
        }

        #[test]
        fn push_lower_matches_str_to_lowercase(word in "([A-Za-z0-9.'&-]|\\PC|[’ΣσİK\u{212A}ß]){0,12}") {
            let (got, want) = lower_both_ways(&word);
            prop_assert_eq!(got, want);
        }
    }
}

#[test]
fn periods_after_abbreviations_and_initials() {
    let old = |w: &str| {
        let first = w.chars().next().unwrap();
        let l = w.to_lowercase();
        l.contains('.')
            || (l.chars().count() == 1 && first.is_uppercase())
            || ABBREVIATIONS.contains(&l.as_str())
    };
    for word in [
        "Sen",
        "SEN",
        "sen",
        "U.S",
        "F",
        "f",
        "Ky",
        "\u{212A}y",
        "İ",
        "É",
        "Gov",
        "Senator",
        "No",
    ] {
        let chars: Vec<char> = word.chars().collect();
        assert_eq!(takes_period(&chars), old(word), "{word}");
    }
}

#[test]
fn sentences_ending_in_a_title_or_an_initial() {
    for (s, want) in [
        ("He met Sen.", true),
        ("He met SEN.", true),
        ("John F.", true),
        ("john f.", false),
        ("It rained.", false),
        ("In Jan.", true),
        ("É.", true),
        ("é.", false),
        ("Ke\u{212A}y.", false),
        ("\u{212A}y.", false),
        ("No.", true),
        ("", false),
        (".", false),
    ] {
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(ends_with_title(&chars), want, "{s}");
    }
}

#[test]
fn char_vec_decodes_like_chars() {
    for s in [
        "",
        "abc",
        "“Yes,” he said — façade ΟΔΥΣ",
        "日本",
        "a\u{10348}b",
        "é",
        "“The talks,” Kerry said, “are over.” Officials in Zürich — and İstanbul — agreed.",
        "0123456789abcdeé0123456789abcde\u{10348}0123456789abcdef€",
        "He said \"yes\" and ''no'' in a block\nof sixteen chars' end \"«quoted»\"\n",
        "0123456789abcdef0123456789abcde\"0123456789abcdef\n0123456789abcd''x\u{201F}y",
    ] {
        let (chars, matter, _, _) = char_vec(s);
        assert_eq!(chars, s.chars().collect::<Vec<_>>());
        let want: Vec<usize> = (0..chars.len())
            .filter(|&i| quotes::may_matter(chars[i]))
            .collect();
        assert_eq!(matter, want, "{s}");
    }
}

mod sentence_end_props {
    use super::*;
    use proptest::prelude::*;

    /// [`ends_with_title`] as it was before it stopped after five letters.
    fn ends_with_title_reading_every_letter(chars: &[char]) -> bool {
        let Some((&'.', rest)) = chars.split_last() else {
            return false;
        };
        let n = rest.iter().rev().take_while(|c| c.is_alphabetic()).count();
        ends_in_title(rest, n)
    }

    /// [`units`] as it was before it asked for a title only within a paragraph.
    fn units_testing_every_sentence(chars: &[char], sentences: &[Sentence]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut joinable = false;
        let mut paragraph = usize::MAX;
        for s in sentences {
            let end = s.end.min(chars.len());
            let start = s.start.min(end);
            match out.last_mut() {
                Some(last) if joinable && s.paragraph == paragraph && start >= last.1 => {
                    last.1 = end
                }
                _ => out.push((start, end)),
            }
            paragraph = s.paragraph;
            joinable = ends_with_title_reading_every_letter(&chars[start..end]);
        }
        out
    }

    proptest! {
        #[test]
        fn sentence_end_tests_answer_as_reading_the_whole_word(
            word in "([A-Za-z.]|\\PC|[ΣσİK\u{212A}ßéÉ]|Sen|SEN|Mr|Sept|Calif|Supt|U\\.S){0,9}",
        ) {
            let chars: Vec<char> = word.chars().collect();
            prop_assert_eq!(takes_period(&chars), takes_period_by_lists(&chars));
            let ended: Vec<char> = word.chars().chain(['.']).collect();
            prop_assert_eq!(
                ends_with_title(&ended),
                ends_with_title_reading_every_letter(&ended)
            );
            prop_assert_eq!(ends_with_title(&chars), ends_with_title_reading_every_letter(&chars));
        }

        #[test]
        fn units_join_as_testing_every_sentence(
            text in "(Sen\\. |Mr\\. |John F\\. |It rained\\. |Kerry said\\. |Jan\\. |\n|Gov\\.\n){0,12}",
        ) {
            let chars: Vec<char> = text.chars().collect();
            let sentences = crate::segment::segment(&text);
            prop_assert_eq!(units(&chars, &sentences), units_testing_every_sentence(&chars, &sentences));
        }
    }
}

/// A long text cut in many windows, with quotations and colons next to the paragraph
/// ends, finds what one window over it finds.
#[test]
fn many_windows_find_what_one_window_finds() {
    let paragraphs = [
        "Kerry said:\n",
        "“It is over.”\n",
        "The talks failed, officials said.\n",
        "“We will go.\n",
        "“Will it work?”\n\n",
        "Kerry asked.\n",
        "Officials met.\n",
        "“The deal is done,” said Lavrov.\n",
    ];
    let text: String = (0..400).map(|i| paragraphs[(i * 7 + i / 8) % 8]).collect();
    let sentences = crate::segment::segment(&text);
    let whole = extract_windows(&text, &sentences, None, None).unwrap();
    assert!(whole.len() > 100);
    for window in [1, 40, 100, 333, 1000] {
        let mut end = window.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let (chars, _, _, _) = char_vec(&text[..end]);
        if window >= 100 {
            assert!(window_cut(&chars, &sentences, 0, 0).is_some(), "{window}");
        }
        let mut cache = UnitCache::default();
        assert_eq!(
            extract_windows(&text, &sentences, None, Some(window)),
            Some(whole.clone())
        );
        assert_eq!(
            extract_windows(&text, &sentences, Some(&mut cache), Some(window)),
            Some(whole.clone())
        );
    }
}
