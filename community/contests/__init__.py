"""Knowledge contests (党建知识竞赛): a question bank per sub-district, contests with a window,
random draws, a time limit held by the server, and rankings per person and per branch."""
